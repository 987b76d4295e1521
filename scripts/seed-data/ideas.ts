import type { IdeaStatus } from '@fanlab/shared';

/**
 * What became of the demo's ideas, so the boards, the roadmap and the dashboard rank something:
 * how many fans voted, the status the product team gave with its official response, tags.
 */
export interface IdeaFate {
  title: string;
  votes: number;
  status?: Exclude<IdeaStatus, 'open' | 'duplicate'>;
  response?: string;
  tags: string[];
}

export const ideaFates: IdeaFate[] = [
  {
    title: 'Let us set a charging limit at 80%',
    votes: 27,
    status: 'planned',
    response:
      'We hear you. An optional 80% limit is planned for the next FanOS feature drop, on every phone since the Nova 10.',
    tags: ['battery', 'charging'],
  },
  {
    title: 'A proper clipboard history',
    votes: 21,
    status: 'under_review',
    tags: ['productivity'],
  },
  {
    title: 'RAW capture in the default camera app',
    votes: 18,
    status: 'in_progress',
    response: 'The camera team is building it: DNG in Pro mode first, then in the main mode.',
    tags: ['camera'],
  },
  {
    title: 'Per-app dark mode override',
    votes: 15,
    status: 'shipped',
    response: 'Shipped in FanOS 14.2: Settings › Display › Dark mode › Per app.',
    tags: ['display', 'dark-mode'],
  },
  {
    title: 'Local control without the cloud',
    votes: 12,
    tags: ['smart-home', 'privacy'],
  },
  {
    title: 'Let beta testers roll back without wiping the phone',
    votes: 9,
    status: 'in_beta',
    response: 'In the current beta: roll back to the last stable build keeps your data.',
    tags: ['beta', 'updates'],
  },
  {
    title: "Bring the Pro's call recording to the Lite 5",
    votes: 6,
    status: 'declined',
    response: 'We looked hard at this. Call recording needs the Pro’s audio chip, which the Lite 5 does not have.',
    tags: ['calls'],
  },
  {
    title: "An option to hide the 'Continue watching' row",
    votes: 3,
    tags: ['tv'],
  },
];

/** A duplicate a fan posts later, merged by a moderator into the idea it repeats. */
export const duplicateIdea = {
  into: 'Let us set a charging limit at 80%',
  title: 'Stop charging at 80 percent to save the battery',
  body: 'My old phone died of battery wear. Please let me stop charging at 80%.',
  votes: 4,
};
