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
    id: 'staff-engineer',
    name: 'Get promoted to Staff Engineer',
    description: 'From senior to staff: a problem bigger than your team, written technical direction, and a promotion case others can argue.',
    title: 'Get promoted to Staff Engineer',
    milestones: [
      { title: 'Read the staff expectations with your manager', notes: 'Your company’s ladder, in your words: where you already operate at staff level, where not yet.' },
      { title: 'Pick a staff-sized problem', notes: 'Cross-team, ambiguous, and one the business cares about. Agree it with your manager and a sponsor.' },
      { title: 'Write the technical direction', notes: 'A design doc or strategy for the problem, reviewed by the people who will have to live with it.' },
      { title: 'Lead it through others', notes: 'Ship through two or more teams without owning them. Keep a decision log.' },
      { title: 'Grow two engineers', notes: 'Mentor, delegate real parts, and say what each of them learned.' },
      { title: 'Build the promotion packet', notes: 'Impact with numbers, scope, and quotes from peers outside your team.' },
      { title: 'Calibration and feedback', notes: 'Walk the packet through with your manager before the cycle; close the gaps they name.' },
    ],
  },
  {
    id: 'move-into-ml',
    name: 'Move into machine learning',
    description: 'From software engineering to ML engineering: the fundamentals, two real projects, and a first ML role.',
    title: 'Move into machine learning',
    milestones: [
      { title: 'Refresh the maths you will use', notes: 'Linear algebra, probability and gradients: enough to read a paper’s method section.' },
      { title: 'One course, finished', notes: 'A practical course end to end, with every exercise done, not watched.' },
      { title: 'Reproduce a baseline', notes: 'A known result on a public dataset, with your own training and evaluation code.' },
      { title: 'Ship an ML feature at work', notes: 'Small and real: data pipeline, model, evaluation, monitoring. Find the team that needs it.' },
      { title: 'Learn to evaluate honestly', notes: 'Splits, leakage, metrics that match the product, and error analysis by hand.' },
      { title: 'A public write-up', notes: 'What you built, what failed, what you would do next.' },
      { title: 'The move', notes: 'An internal transfer or a target list of ML roles, with a mock ML system-design interview.' },
    ],
  },
  {
    id: 'first-manager-role',
    name: 'Your first management role',
    description: 'From engineer to engineering manager: one-on-ones, feedback, hiring and running a team’s delivery.',
    title: 'Your first management role',
    milestones: [
      { title: 'Decide it is what you want', notes: 'Shadow a manager for two weeks; list what you will miss and what you will gain.' },
      { title: 'Run weekly one-on-ones', notes: 'Their agenda first. Keep notes and follow up on every promise.' },
      { title: 'Give feedback that lands', notes: 'Specific, timely, both praise and correction. Practise the hard one with your mentor first.' },
      { title: 'Own the team’s delivery', notes: 'Planning, a clear priority list, and saying no with reasons.' },
      { title: 'Hire one person', notes: 'Write the role, run the loop, and make the call with the panel.' },
      { title: 'Handle a conflict or a performance issue', notes: 'Document, set expectations, support, and follow through.' },
      { title: 'Your first team health check', notes: 'Ask the team what to change; change one thing and report back.' },
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
