import { expect } from 'chai';
import { IsoDate } from '../../shared/schemas/common.js';
import { Email, RegisterIn } from '../../shared/schemas/auth.js';
import { Emoji, MessageSendIn } from '../../shared/schemas/message.js';
import { RoomCreateIn } from '../../shared/schemas/room.js';

describe('shared schemas', () => {
  it('trims message bodies and bounds them to 1–8000 characters', () => {
    const base = { roomId: 'r1', clientMsgId: 'c-1' };
    expect(MessageSendIn.parse({ ...base, body: '  hi  ' }).body).to.equal('hi');
    expect(MessageSendIn.safeParse({ ...base, body: 'x'.repeat(8000) }).success).to.equal(true);
    expect(MessageSendIn.safeParse({ ...base, body: 'x'.repeat(8001) }).success).to.equal(false);
    expect(MessageSendIn.safeParse({ ...base, body: ' \n ' }).success).to.equal(false);
  });

  it('refuses unknown keys and ids with unsafe characters', () => {
    expect(MessageSendIn.safeParse({ roomId: 'r1', clientMsgId: 'c', body: 'b', admin: true }).success).to.equal(false);
    expect(MessageSendIn.safeParse({ roomId: '../etc', clientMsgId: 'c', body: 'b' }).success).to.equal(false);
    expect(MessageSendIn.safeParse({ roomId: 'r1', clientMsgId: 'has space', body: 'b' }).success).to.equal(false);
  });

  it('lower-cases emails and needs exactly one other side for a room request', () => {
    expect(Email.parse(' Ada@Example.COM ')).to.equal('ada@example.com');
    expect(RegisterIn.safeParse({ email: 'a@b.co', password: '1234567', displayName: 'A' }).success).to.equal(false);
    expect(RoomCreateIn.safeParse({ mentorId: 'a', focus: 'f' }).success).to.equal(true);
    expect(RoomCreateIn.safeParse({ menteeId: 'a', focus: 'f' }).success).to.equal(true);
    expect(RoomCreateIn.safeParse({ mentorId: 'a', menteeId: 'b', focus: 'f' }).success).to.equal(false);
    expect(RoomCreateIn.safeParse({ focus: 'f' }).success).to.equal(false);
  });

  it('accepts only real calendar dates', () => {
    expect(IsoDate.safeParse('2027-02-28').success).to.equal(true);
    expect(IsoDate.safeParse('2027-02-30').success).to.equal(false);
    expect(IsoDate.safeParse('28/02/2027').success).to.equal(false);
  });

  it('refuses Object.prototype member names as an emoji and accepts a real one', () => {
    for (const emoji of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(Emoji.safeParse(emoji).success, emoji).to.equal(false);
    expect(Emoji.safeParse('👍').success).to.equal(true);
    expect(Emoji.safeParse(':tada:').success).to.equal(true);
  });
});
