import type { RoadmapTemplate } from '../../shared/types.js';

/** The curated roadmap templates (GET /api/templates), in the order clients list them. */
export const TEMPLATES: readonly RoadmapTemplate[] = [
  {
    id: 'director-role',
    name: 'Land a Director role',
    description: 'From senior manager to director: scope, visibility, a sponsor, and the interview loop.',
    title: 'Land a Director role',
    milestones: [
      { title: 'Write the director-level story of your last two years', notes: 'Outcomes, not activities: the org-level problems you owned and what changed because of you.' },
      { title: 'Take on one cross-team initiative', notes: 'Something no single team owns. Agree the scope and what success looks like with your manager.' },
      { title: 'Find a sponsor', notes: 'Someone a level up who will argue for you in rooms you are not in. Ask for one concrete piece of visibility.' },
      { title: 'Build the hiring and org-design muscle', notes: 'Run a hiring loop end to end; draft an org proposal for your area in a year.' },
      { title: 'Target list of companies and roles', notes: 'Ten roles: why each, who you know there, what their director bar looks like.' },
      { title: 'Mock interview loop', notes: 'Strategy, people leadership, execution, and a presentation. Debrief each with your mentor.' },
      { title: 'Offer and negotiation', notes: 'Scope, reports, budget and title before compensation.' },
    ],
  },
  {
    id: 'launch-mvp',
    name: 'Launch the MVP',
    description: 'From idea to first real users: the riskiest assumption first, a small build, a launch you can learn from.',
    title: 'Launch the MVP',
    milestones: [
      { title: 'Name the problem and the first customer', notes: 'One sentence each. Who has this problem badly enough to try an unfinished product?' },
      { title: 'Twenty problem interviews', notes: 'Record what people do today and what it costs them. No pitching.' },
      { title: 'Write down the riskiest assumption', notes: 'What must be true for this to work? How will the MVP test it?' },
      { title: 'Cut the scope to one workflow', notes: 'The smallest thing that delivers the core value end to end.' },
      { title: 'Build and dogfood', notes: 'Use it yourself every day for a week before anyone else sees it.' },
      { title: 'Launch to the first ten users', notes: 'Onboard each by hand. Watch them use it.' },
      { title: 'Measure and decide', notes: 'Retention after two weeks; persevere, pivot or stop.' },
    ],
  },
  {
    id: 'seed-round',
    name: 'Raise a seed round',
    description: 'Story, data room, investor list and a tight process that ends in a close.',
    title: 'Raise a seed round',
    milestones: [
      { title: 'Decide how much and what for', notes: 'Eighteen to twenty-four months of runway to milestones that make the next round easy.' },
      { title: 'Write the narrative and the deck', notes: 'Problem, insight, traction, team, why now. Ten slides.' },
      { title: 'Prepare the data room', notes: 'Cap table, incorporation documents, metrics, contracts.' },
      { title: 'Build the investor list', notes: 'Fifty names with thesis fit, check size and a warm path to each.' },
      { title: 'Practice the pitch', notes: 'Three friendly investors first; fix what they stumble on.' },
      { title: 'Run a compressed process', notes: 'First meetings within two weeks; keep a pipeline tracker and follow up within 24 hours.' },
      { title: 'Term sheet and close', notes: 'Lead first, then fill the round. Get legal review before signing.' },
    ],
  },
  {
    id: 'blank',
    name: 'Blank',
    description: 'An empty roadmap to shape together.',
    title: 'Our roadmap',
    milestones: [],
  },
];

export const findTemplate = (id: string): RoadmapTemplate | undefined => TEMPLATES.find((t) => t.id === id);
