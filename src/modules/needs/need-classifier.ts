/**
 * A multinomial naive Bayes classifier of texts into needs, over the same evidence the recogniser
 * reads: whole units (jieba words after spoken forms, synonyms and stop words) and Han character
 * pairs. Where the trigger-phrase scoring asks "which phrase of a need does this text repeat?",
 * the classifier asks "which need's phrases, all together, are most likely to have used these
 * words?": a request that shares one word with each of several phrases of the same need, and no
 * phrase whole, still reads as that need.
 *
 * Trained by counting, in the time the recogniser already spends reading the phrases (tens of
 * milliseconds for 7,000 phrases), so it is built with the recogniser from the needs data itself:
 * no trained file to keep current with the data, and cross-validation trains it on each fold.
 * Pure and deterministic.
 */

/** A training phrase: its class, its features (each counted once) and how much it counts. */
export interface ClassifierExample {
  label: string;
  features: Iterable<string>;
  weight: number;
}

/** Additive (Laplace) smoothing of the feature counts. */
const SMOOTHING = 0.1;

/** A class's posterior as the classifier reads a text. */
export interface ClassPosterior {
  code: string;
  probability: number;
}

export class NeedClassifier {
  /**
   * Each feature's number, and by number its postings: the classes whose phrases use it
   * (`postingClass` from `postingStart[f]` to `postingStart[f + 1]`) with log((count + α) / α)
   * (`postingGain`), in typed arrays: as a Map of posting objects they kept 8 MB of the heap of
   * every process that understands requests.
   */
  private readonly featureNumbers = new Map<string, number>();
  private readonly postingStart: Int32Array;
  private readonly postingClass: Int32Array;
  private readonly postingGain: Float64Array;
  /** Per class, log(α / (total + α V)): the log-likelihood of a known feature the class never used. */
  private readonly unseen: number[];
  /**
   * The background: all phrases pooled, as one more class (its gain per feature number). A text
   * whose words are spread over many needs (or used by every need alike) is likelier to come
   * from it than from any one need, so small talk that happens to share a word or two with some
   * need gets little posterior.
   */
  private readonly backgroundGain: Float64Array;
  private readonly backgroundUnseen: number;

  private constructor(
    readonly labels: readonly string[],
    counts: Map<string, Map<number, number>>,
    totals: readonly number[],
  ) {
    const vocabulary = counts.size;
    this.unseen = totals.map((total) => Math.log(SMOOTHING / (total + SMOOTHING * vocabulary)));
    const all = totals.reduce((a, b) => a + b, 0);
    this.backgroundUnseen = Math.log(SMOOTHING / (all + SMOOTHING * vocabulary));
    let postings = 0;
    for (const byClass of counts.values()) postings += byClass.size;
    this.postingStart = new Int32Array(vocabulary + 1);
    this.postingClass = new Int32Array(postings);
    this.postingGain = new Float64Array(postings);
    this.backgroundGain = new Float64Array(vocabulary);
    let number = 0;
    let next = 0;
    for (const [feature, byClass] of counts) {
      let pooled = 0;
      for (const [index, count] of byClass) {
        this.postingClass[next] = index;
        this.postingGain[next] = Math.log((count + SMOOTHING) / SMOOTHING);
        next += 1;
        pooled += count;
      }
      this.featureNumbers.set(feature, number);
      this.backgroundGain[number] = Math.log((pooled + SMOOTHING) / SMOOTHING);
      number += 1;
      this.postingStart[number] = next;
    }
  }

  /** Counts the examples; classes without examples are never predicted. Uniform prior over classes. */
  static train(examples: readonly ClassifierExample[]): NeedClassifier {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const indexOf = new Map(labels.map((label, i) => [label, i]));
    const counts = new Map<string, Map<number, number>>();
    const totals = labels.map(() => 0);
    for (const { label, features, weight } of examples) {
      const index = indexOf.get(label)!;
      for (const feature of new Set(features)) {
        const byClass = counts.get(feature) ?? new Map<number, number>();
        byClass.set(index, (byClass.get(index) ?? 0) + weight);
        counts.set(feature, byClass);
        totals[index] += weight;
      }
    }
    return new NeedClassifier(labels, counts, totals);
  }

  /** The share of a text's distinct features that some training phrase used (0 for none). */
  coverage(features: Iterable<string>): number {
    const distinct = new Set(features);
    if (distinct.size === 0) return 0;
    let known = 0;
    for (const feature of distinct) if (this.featureNumbers.has(feature)) known++;
    return known / distinct.size;
  }

  /** How many distinct features the training phrases used. */
  get vocabularySize(): number {
    return this.featureNumbers.size;
  }

  /**
   * The posterior of each class for a text's features (each counted once; features no phrase used
   * are left out), tempered: the log-likelihoods are averaged over the known features and multiplied
   * by `sharpness` before the softmax, so that a long text is not more certain for being long and
   * the figures stay comparable with the recogniser's other evidence. Classes at `least` or more,
   * best first; empty when the text has no known feature.
   */
  posterior(features: Iterable<string>, sharpness: number, least = 0.01, background = 0): ClassPosterior[] {
    const known = [...new Set(features)].filter((f) => this.featureNumbers.has(f));
    if (known.length === 0) return [];
    const scores = this.unseen.map((u) => u * known.length);
    let pooled = this.backgroundUnseen * known.length;
    for (const feature of known) {
      const number = this.featureNumbers.get(feature)!;
      for (let p = this.postingStart[number]; p < this.postingStart[number + 1]; p += 1)
        scores[this.postingClass[p]] += this.postingGain[p];
      pooled += this.backgroundGain[number];
    }
    const factor = sharpness / known.length;
    const max = Math.max(pooled, ...scores);
    const weights = scores.map((s) => Math.exp((s - max) * factor));
    const sum = weights.reduce((a, b) => a + b, 0) + background * Math.exp((pooled - max) * factor);
    const result: ClassPosterior[] = [];
    weights.forEach((w, index) => {
      const probability = w / sum;
      if (probability >= least) result.push({ code: this.labels[index], probability });
    });
    return result.sort((a, b) => b.probability - a.probability || a.code.localeCompare(b.code));
  }
}
