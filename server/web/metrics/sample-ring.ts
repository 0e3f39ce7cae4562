// The last few minutes of one watched series' live samples, as rows [t, v0…vn] in one
// Float64Array (NaN = null). Sized up front for the window at 1 Hz, so a watched series
// costs its memory once when it is first sampled, not a little more every second: as
// objects ({t, v: [...]}) ten minutes of a VM series took ~200 bytes a sample and grew
// the server's heap for the whole window (bench/soak.ts).
export class SampleRing {
  private data: Float64Array;
  private capacity: number;
  private head = 0;
  private count = 0;

  constructor(
    private readonly width: number,
    private readonly windowMs: number,
    expectedIntervalMs: number,
  ) {
    this.capacity = Math.max(1, Math.ceil(windowMs / expectedIntervalMs));
    this.data = new Float64Array(this.capacity * (width + 1)).fill(NaN);
  }

  get size(): number {
    return this.count;
  }

  /** Sample time of the i-th kept sample, oldest first. */
  t(i: number): number {
    return this.data[this.row(i)]!;
  }

  /** Value k of the i-th kept sample (null when not observed). */
  value(i: number, k: number): number | null {
    if (k >= this.width) return null;
    const x = this.data[this.row(i) + 1 + k]!;
    return Number.isNaN(x) ? null : x;
  }

  /** Appends a sample newer than the last one (older or equal ones are ignored) and drops what left the window. */
  push(t: number, v: readonly (number | null | undefined)[]): void {
    if (this.count && this.t(this.count - 1) >= t) return;
    const cutoff = t - this.windowMs;
    while (this.count && this.t(0) < cutoff) this.shift();
    // Full but all still inside the window: the agent samples faster than expected.
    if (this.count === this.capacity) this.grow();
    const at = ((this.head + this.count) % this.capacity) * (this.width + 1);
    this.data[at] = t;
    for (let k = 0; k < this.width; k++) {
      const x = v[k];
      this.data[at + 1 + k] = typeof x === "number" ? x : NaN;
    }
    this.count++;
  }

  private row(i: number): number {
    return ((this.head + i) % this.capacity) * (this.width + 1);
  }

  private shift(): void {
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }

  private grow(): void {
    const next = new Float64Array(this.capacity * 2 * (this.width + 1)).fill(NaN);
    for (let i = 0; i < this.count; i++) next.set(this.data.subarray(this.row(i), this.row(i) + this.width + 1), i * (this.width + 1));
    this.data = next;
    this.capacity *= 2;
    this.head = 0;
  }
}
