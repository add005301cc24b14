/**
 * Adam on plain Float32Arrays (same update as tf.train.adam, epsilon 1e-7), with optional decoupled
 * weight decay (AdamW: p -= lr * decay * p, apart from the gradient moments). Deterministic.
 */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(
    sizes: number[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-7,
    private readonly weightDecay = 0,
  ) {
    this.m = sizes.map((s) => new Float32Array(s));
    this.v = sizes.map((s) => new Float32Array(s));
  }

  /** Updates params in place with gradients grads (same shapes); `scale` multiplies the learning rate (schedules). */
  step(params: Float32Array[], grads: Float32Array[], scale = 1): void {
    this.t++;
    const { beta1: b1, beta2: b2, eps } = this;
    const lr = this.lr * scale;
    const lrT = (lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    const keep = 1 - lr * this.weightDecay;
    params.forEach((p, k) => {
      const g = grads[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        const pi = keep === 1 ? p[i]! : p[i]! * keep;
        p[i] = pi - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps);
      }
    });
  }
}
