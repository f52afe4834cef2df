/**
 * Diversity feedback (`quality.diversity_feedback`): the prompt for a topic lists a few short openings of
 * the user turns already written for it (accepted, or rejected as duplicates), so the model stops writing the same conversation again, and the
 * near-duplicate rejections per topic are counted for the dashboard. Memory is bounded: at most
 * `perTopic` openings of `words` words are kept per topic.
 */
import { oneLine } from '../export/text.js';

export const DIVERSITY_HEADER = 'Conversations already accepted for this topic open like this; do not repeat or paraphrase them, write something different:';

/** The first `words` words of the first sentence of a user turn, on one line. */
export function openingOf(userText: string, words = 12): string {
  const flat = oneLine(userText);
  const sentence = /^(.+?[.?!])(\s|$)/.exec(flat)?.[1] ?? flat;
  const list = sentence.split(' ').filter(Boolean);
  return list.length > words ? `${list.slice(0, words).join(' ')} …` : list.join(' ');
}

export class AcceptedOpenings {
  private readonly byTopic = new Map<string, string[]>();

  constructor(
    private readonly perTopic = 5,
    private readonly words = 12,
  ) {}

  /**
   * Records the opening of a sample's first user turn: call it for every accepted sample and for every
   * duplicate rejection too, so an opening the model keeps coming back to stays on the list (one seen
   * again moves to the end; the `perTopic` most recently seen are kept).
   */
  add(topicId: string, messages: ReadonlyArray<{ role: string; content: string }>): void {
    const first = messages.find((m) => m.role === 'user')?.content;
    if (!first) return;
    const opening = openingOf(first, this.words);
    if (!opening) return;
    const list = this.byTopic.get(topicId) ?? [];
    const at = list.indexOf(opening);
    if (at !== -1) list.splice(at, 1);
    list.push(opening);
    if (list.length > this.perTopic) list.shift();
    this.byTopic.set(topicId, list);
  }

  list(topicId: string): readonly string[] {
    return this.byTopic.get(topicId) ?? [];
  }
}

/** The prompt block for a topic's accepted openings, or null when there are none yet. */
export function diversityBlock(openings: readonly string[]): string | null {
  if (openings.length === 0) return null;
  return [DIVERSITY_HEADER, ...openings.map((o) => `- "${o.replace(/"/g, "'")}"`)].join('\n');
}

export interface TopicRejections {
  attempts: number;
  duplicates: number;
  rate: number;
}

/** Near-duplicate (and exact duplicate) rejections per topic, out of the samples checked for it. */
export class DuplicateRates {
  private readonly byTopic = new Map<string, { attempts: number; duplicates: number }>();

  record(topicId: string, outcome: 'accepted' | 'duplicate' | 'other'): void {
    const t = this.byTopic.get(topicId) ?? { attempts: 0, duplicates: 0 };
    t.attempts++;
    if (outcome === 'duplicate') t.duplicates++;
    this.byTopic.set(topicId, t);
  }

  of(topicId: string): TopicRejections {
    const t = this.byTopic.get(topicId) ?? { attempts: 0, duplicates: 0 };
    return { ...t, rate: t.attempts === 0 ? 0 : t.duplicates / t.attempts };
  }

  /** Every topic, highest rate first. */
  all(): Array<TopicRejections & { topicId: string }> {
    return [...this.byTopic.keys()].map((topicId) => ({ topicId, ...this.of(topicId) })).sort((a, b) => b.rate - a.rate || b.attempts - a.attempts);
  }
}
