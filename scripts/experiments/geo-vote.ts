/**
 * Experiment (tuning seeds only; kept for the record, not part of the pipeline): how well votes that
 * check geometric consistency rank the mate, against an in-memory gallery of pair keys.
 *
 *   npx tsx scripts/experiments/geo-vote.ts [gallerySize=10000] [probes per profile=60]
 *   env: ROT_ONLY=1 (bin hits by rotation only; default: rotation and translation), RB (rotation bin,
 *        degrees, 20), TB (translation bin, px, 30), KS (probe keys per finger, "15,30,60,150"),
 *        ENROL (enrolment keys per finger, 120), MAXD, DB, AB (pair bins), TYPES=0 (ignore types)
 *
 * Results that chose the search's vote (10,000 identities; mates of 60 probes in the vote's top 200):
 * rotation and translation, 20 deg / 30 px, K 150: good 60, worn 57, poor 55; rotation only, 20 deg:
 * 60, 59, 56; rotation only, 12 deg: 60, 57, 54; rotation only, 30 deg: 60, 59, 57. Fewer probe
 * keys (K 60) cut reads by half and lost 3-7 mates per 60 among the worn and poor. ('worn' here is
 * this script's own: poor impressions of the four indexed fingers; weighted-rotation-vote.ts compares
 * the built vote with the one it replaced on the bookings' own profiles.)
 */
import { INDEXED_POSITIONS } from '../../functions/core/biometrics/index-keys';
import { bookingOfSubject } from '../../functions/core/seeding/synthetic-bookings';
import { masterFingers, syntheticIdentity } from '../../functions/core/seeding/synthetic-gallery';
import { generateImpression } from '../../functions/core/biometrics/synthetic-fingers';
import { createRng } from '../../functions/core/random';
import type { CapturedFinger, MinutiaeTemplate } from '../../functions/core/schemas';

const [N = 10000, M = 60] = process.argv.slice(2).map(Number);
const DEG = Math.PI / 180;
const MAXD = Number(process.env.MAXD ?? 90),
  DB = Number(process.env.DB ?? 10),
  AB = Number(process.env.AB ?? 30);
const NB = 360 / AB,
  HB = NB / 2;
const TC = { ending: 0, bifurcation: 1, other: 2 } as const;
const USE_TYPES = process.env.TYPES !== '0';
type P = { d: number; a: number; b: number; ta: number; tb: number; mx: number; my: number; seg: number };
const wrap = (x: number) => ((x % 360) + 360) % 360;
function pairs(t: MinutiaeTemplate): P[] {
  const ms = t.minutiae,
    out: P[] = [];
  for (let i = 0; i < ms.length; i++)
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i]!,
        b = ms[j]!;
      const dx = b.x - a.x,
        dy = a.y - b.y,
        d = Math.hypot(dx, dy);
      if (d === 0 || d >= MAXD) continue;
      const seg = Math.atan2(dy, dx) / DEG;
      out.push({
        d,
        a: wrap(a.angle - seg),
        b: wrap(b.angle - seg),
        ta: USE_TYPES ? TC[a.type] : 0,
        tb: USE_TYPES ? TC[b.type] : 0,
        mx: (a.x + b.x) / 2,
        my: -(a.y + b.y) / 2,
        seg,
      });
    }
  return out.sort((p, q) => p.d - q.d);
}
/** key + segment angle in the canonical direction */
function key(pos: number, db: number, a: number, b: number, ta: number, tb: number, seg: number): [string, number] {
  a = (a + NB) % NB;
  b = (b + NB) % NB;
  const ra = (b + HB) % NB,
    rb = (a + HB) % NB;
  const fwd = a < ra || (a === ra && (b < rb || (b === rb && ta <= tb)));
  return fwd ? [`${pos}:${db}:${a}:${b}:${ta}:${tb}`, seg] : [`${pos}:${db}:${ra}:${rb}:${tb}:${ta}`, wrap(seg + 180)];
}
const opts = (v: number, w: number) => {
  const s = v / w,
    bn = Math.floor(s),
    f = s - bn;
  return f < 0.5
    ? [
        { bin: bn, c: 0 },
        { bin: bn - 1, c: f },
      ]
    : [
        { bin: bn, c: 0 },
        { bin: bn + 1, c: 1 - f },
      ];
};

const ENROL = Number(process.env.ENROL ?? 120);
type Post = { s: number; mx: number; my: number; seg: number };
const index = new Map<string, Post[]>();
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const id = syntheticIdentity(1, i);
  for (const f of id.fingers) {
    if (!INDEXED_POSITIONS.includes(f.position)) continue;
    const seen = new Set<string>();
    for (const p of pairs(f.template)) {
      if (seen.size >= ENROL) break;
      const [k, seg] = key(
        f.position,
        Math.floor(p.d / DB),
        Math.floor(p.a / AB),
        Math.floor(p.b / AB),
        p.ta,
        p.tb,
        p.seg,
      );
      if (seen.has(k)) continue;
      seen.add(k);
      let l = index.get(k);
      if (!l) index.set(k, (l = []));
      l.push({ s: i, mx: p.mx, my: p.my, seg });
    }
  }
}
console.log(`built ${N} in ${((performance.now() - t0) / 1000).toFixed(1)} s; buckets ${index.size}`);

function probeKeys(pos: number, t: MinutiaeTemplate, K: number) {
  const ps = pairs(t);
  const out = new Map<string, { seg: number; mx: number; my: number }[]>();
  let n = 0;
  const add = (k: string, seg: number, p: P) => {
    let l = out.get(k);
    if (!l) {
      if (n >= K) return;
      out.set(k, (l = []));
      n++;
    }
    l.push({ seg, mx: p.mx, my: p.my });
  };
  for (const p of ps) {
    const [k, seg] = key(pos, Math.floor(p.d / DB), Math.floor(p.a / AB), Math.floor(p.b / AB), p.ta, p.tb, p.seg);
    add(k, seg, p);
  }
  const nb: { k: string; seg: number; p: P; c: number; o: number }[] = [];
  ps.forEach((p, o) => {
    const ds = opts(p.d, DB),
      as = opts(p.a, AB),
      bs = opts(p.b, AB);
    for (const d of ds) {
      if (d.bin < 0) continue;
      for (const a of as)
        for (const b of bs) {
          if (d === ds[0] && a === as[0] && b === bs[0]) continue;
          const [k, seg] = key(pos, d.bin, a.bin, b.bin, p.ta, p.tb, p.seg);
          nb.push({ k, seg, p, c: d.c + a.c + b.c, o });
        }
    }
  });
  nb.sort((x, y) => x.c - y.c || x.o - y.o);
  for (const x of nb) add(x.k, x.seg, x.p);
  return out;
}

const RB = Number(process.env.RB ?? 20),
  TB = Number(process.env.TB ?? 30);
function search(probe: CapturedFinger[], K: number) {
  let postings = 0;
  const score = new Map<number, number>();
  for (const f of probe) {
    if (!INDEXED_POSITIONS.includes(f.position)) continue;
    const cells = new Map<number, Map<number, number>>(); // subject -> cell -> votes
    for (const [k, probes] of probeKeys(f.position, f.template, K)) {
      const l = index.get(k);
      if (!l) continue;
      postings += l.length;
      for (const g of l)
        for (const q of probes.slice(0, 2)) {
          const dth = wrap(g.seg - q.seg);
          const c = Math.cos(dth * DEG),
            s = Math.sin(dth * DEG);
          const tx = g.mx - (c * q.mx - s * q.my),
            ty = g.my - (s * q.mx + c * q.my);
          const cell = process.env.ROT_ONLY
            ? Math.floor(dth / RB)
            : (Math.floor(dth / RB) * 1000 + Math.floor(tx / TB) + 500) * 1000 + Math.floor(ty / TB) + 500;
          let m = cells.get(g.s);
          if (!m) cells.set(g.s, (m = new Map()));
          m.set(cell, (m.get(cell) ?? 0) + 1);
        }
    }
    for (const [s, m] of cells) {
      let best = 0;
      for (const v of m.values()) best = Math.max(best, v);
      if (best >= 2) score.set(s, (score.get(s) ?? 0) + best - 1);
    }
  }
  return { postings, ranked: [...score.entries()].sort((a, b) => b[1] - a[1]) };
}

const Ks = (process.env.KS ?? '15,30,60,150').split(',').map(Number);
for (const profile of ['good', 'worn', 'poor'] as const) {
  const res = Ks.map(() => ({ p: [] as number[], r: [] as number[] }));
  for (let i = 0; i < M; i++) {
    const gi = (i * 37) % N;
    const { booking } = bookingOfSubject({ seed: 9, gallerySeed: 1 }, i, {
      galleryIndex: gi,
      profile: profile === 'worn' ? 'good' : profile,
    });
    let probe = booking.fingers.filter((f): f is CapturedFinger => f.status === 'captured');
    if (profile === 'worn') {
      const ms = masterFingers(1, gi);
      probe = probe.map((f) => ({
        ...f,
        template: generateImpression(ms.get(f.position)!, createRng(77 + i).fork(f.position), 'poor'),
      }));
    }
    Ks.forEach((K, ki) => {
      const { postings, ranked } = search(probe, K);
      const r = ranked.findIndex(([s]) => s === gi);
      res[ki]!.p.push(postings);
      res[ki]!.r.push(r < 0 ? Infinity : r + 1);
    });
  }
  console.log(`== ${profile}`);
  Ks.forEach((K, ki) => {
    const { p, r } = res[ki]!;
    p.sort((a, b) => a - b);
    const w = (n: number) => r.filter((x) => x <= n).length;
    console.log(
      `K=${String(K).padEnd(4)} postings p50 ${p[p.length >> 1]} (${(p[p.length >> 1]! / N).toFixed(1)}N) | top1 ${w(1)} top20 ${w(20)} top200 ${w(200)} /${M}`,
    );
  });
}
