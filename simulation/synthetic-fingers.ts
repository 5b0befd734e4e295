import type { Rng } from './random';
import type { FingerPosition, Minutia, MinutiaType, MinutiaeTemplate } from '#core/schemas';

/**
 * Synthetic fingers: a "master" (the finger as it is) and impressions of it (captures that differ
 * as real captures do: placement, partial contact, skin distortion, extraction noise).
 *
 * Geometry convention, shared with the matcher and the index: a template's angle is counter-clockwise
 * as seen on screen (ISO/IEC 19794-2), so with image y pointing down a minutia at angle a points
 * along (cos a, -sin a) in pixel coordinates. Internally we work in "math" coordinates (x, -y),
 * where that direction is simply (cos a, sin a) and rotations are the usual ones.
 */

const DEG = Math.PI / 180;

/** Minimum distance between two genuine minutiae of a master, in pixels at 500 ppi. */
const MIN_SPACING_PX = 12;

type PatternClass = 'left-loop' | 'right-loop' | 'whorl' | 'arch';

interface SingularPoint {
  x: number;
  y: number;
}

/** Ridge orientation (radians, modulo pi) at a point, in math coordinates. */
type OrientationField = (x: number, y: number) => number;

function normaliseDegrees(degrees: number): number {
  const d = degrees % 360;
  const n = d < 0 ? d + 360 : d;
  // Rounding can land on 360 exactly; the schema wants [0, 360).
  return n >= 360 ? 0 : n;
}

function roundAngle(degrees: number): number {
  return normaliseDegrees(Math.round(normaliseDegrees(degrees) * 100) / 100);
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Zero-pole orientation model (Sherlock & Monro): half the sum of the arguments to the cores minus
 * half the sum to the deltas. Gives loops (one core, one delta) and whorls (two cores, two deltas).
 */
function zeroPoleField(cores: SingularPoint[], deltas: SingularPoint[], base: number): OrientationField {
  return (x, y) => {
    let sum = 0;
    for (const c of cores) sum += Math.atan2(y - c.y, x - c.x);
    for (const d of deltas) sum -= Math.atan2(y - d.y, x - d.x);
    return base + sum / 2;
  };
}

/** Plain arch: ridges run across the finger and bulge upwards around the centre line. */
function archField(cx: number, cy: number, width: number, bulge: number): OrientationField {
  return (x, y) => {
    const u = (x - cx) / width;
    // Bulge fades towards the bottom (lower y in math coordinates is further down the finger).
    const fade = 1 / (1 + Math.exp(-(y - cy) / (width * 0.6)));
    return Math.atan(-bulge * fade * 2 * u * Math.exp(-u * u * 2));
  };
}

function pickPattern(rng: Rng, position: FingerPosition): PatternClass {
  // Ulnar loops dominate; on the right hand (positions 1-5) they open to the right as the print is
  // seen, on the left hand to the left. Thumbs carry more whorls.
  const rightHand = position <= 5;
  const thumb = position === 1 || position === 6;
  const ulnar: PatternClass = rightHand ? 'right-loop' : 'left-loop';
  const radial: PatternClass = rightHand ? 'left-loop' : 'right-loop';
  const weights = thumb ? { ulnar: 45, radial: 5, whorl: 45, arch: 5 } : { ulnar: 60, radial: 6, whorl: 28, arch: 6 };
  const kind = rng.weighted(weights);
  if (kind === 'ulnar') return ulnar;
  if (kind === 'radial') return radial;
  return kind;
}

function orientationField(
  rng: Rng,
  pattern: PatternClass,
  centre: SingularPoint,
  semiX: number,
  semiY: number,
): OrientationField {
  // Core a little above the centre of the finger area (math y points up).
  const core = { x: centre.x + rng.normal(0, semiX * 0.08), y: centre.y + semiY * rng.float(0.0, 0.25) };
  switch (pattern) {
    case 'left-loop':
    case 'right-loop': {
      const side = pattern === 'right-loop' ? -1 : 1;
      const delta = { x: core.x + side * semiX * rng.float(0.5, 0.8), y: core.y - semiY * rng.float(0.5, 0.8) };
      return zeroPoleField([core], [delta], rng.normal(0, 0.08));
    }
    case 'whorl': {
      const gap = semiY * rng.float(0.05, 0.15);
      const tilt = rng.normal(0, semiX * 0.05);
      const cores = [
        { x: core.x - tilt, y: core.y + gap },
        { x: core.x + tilt, y: core.y - gap },
      ];
      const deltas = [
        { x: core.x - semiX * rng.float(0.6, 0.9), y: core.y - semiY * rng.float(0.6, 0.9) },
        { x: core.x + semiX * rng.float(0.6, 0.9), y: core.y - semiY * rng.float(0.6, 0.9) },
      ];
      return zeroPoleField(cores, deltas, rng.normal(0, 0.08));
    }
    case 'arch':
      return archField(core.x, core.y, semiX, rng.float(0.8, 1.6));
  }
}

/**
 * The finger as it is: a 500 ppi template of about 400 x 500 px with 35-60 minutiae inside an
 * elliptical finger area, spaced at least 12 px apart, whose directions follow a smooth ridge
 * orientation field (loop, whorl or arch around a core point).
 */
export function generateMasterFinger(rng: Rng, position: FingerPosition): MinutiaeTemplate {
  const width = rng.int(380, 420);
  const height = rng.int(480, 520);
  const count = rng.int(35, 60);

  // Finger area, in math coordinates (x, -y).
  const centre = { x: width / 2 + rng.normal(0, 6), y: -(height / 2 + rng.normal(0, 6)) };
  const semiX = width * rng.float(0.38, 0.42);
  const semiY = height * rng.float(0.4, 0.44);
  const field = orientationField(rng, pickPattern(rng, position), centre, semiX, semiY);

  const points: Array<{ x: number; y: number }> = [];
  const maxAttempts = count * 200;
  for (let attempt = 0; attempt < maxAttempts && points.length < count; attempt++) {
    const x = centre.x + rng.float(-semiX, semiX);
    const y = centre.y + rng.float(-semiY, semiY);
    const u = (x - centre.x) / semiX;
    const v = (y - centre.y) / semiY;
    if (u * u + v * v > 1) continue;
    if (points.some((p) => (p.x - x) ** 2 + (p.y - y) ** 2 < MIN_SPACING_PX ** 2)) continue;
    points.push({ x, y });
  }

  const minutiae: Minutia[] = points.map((p) => {
    const ridge = field(p.x, p.y);
    // A minutia points along its ridge, one way or the other, plus a little extraction noise.
    const direction = ridge + (rng.bool(0.5) ? 0 : Math.PI) + rng.normal(0, 4 * DEG);
    return {
      x: clampInt(p.x, 0, width - 1),
      y: clampInt(-p.y, 0, height - 1),
      angle: roundAngle(direction / DEG),
      type: rng.bool(0.55) ? 'ending' : 'bifurcation',
      quality: rng.int(40, 100),
    };
  });

  return { width, height, resolutionPpi: 500, minutiae };
}

/** How well a finger was printed. */
export type ImpressionProfile = 'good' | 'poor';

interface ProfileParameters {
  maxRotationDeg: number;
  maxTranslationPx: number;
  /** Share of the image width and height inside the capture window, [min, max]. */
  windowShare: [number, number];
  /** Elastic distortion at the edge of the finger area, px. */
  distortionPx: number;
  positionJitterPx: number;
  angleJitterDeg: number;
  missingShare: [number, number];
  spuriousShare: number;
  typeFlip: number;
  qualityScale: number;
  qualityJitter: number;
}

const PROFILES: Record<ImpressionProfile, ProfileParameters> = {
  good: {
    maxRotationDeg: 15,
    maxTranslationPx: 30,
    windowShare: [0.85, 1],
    distortionPx: 3,
    positionJitterPx: 2.5,
    angleJitterDeg: 5,
    missingShare: [0.1, 0.15],
    spuriousShare: 0.05,
    typeFlip: 0.1,
    qualityScale: 1,
    qualityJitter: 5,
  },
  poor: {
    maxRotationDeg: 30,
    maxTranslationPx: 30,
    windowShare: [0.55, 0.75],
    distortionPx: 6,
    positionJitterPx: 4,
    angleJitterDeg: 10,
    missingShare: [0.35, 0.45],
    spuriousShare: 0.2,
    typeFlip: 0.1,
    qualityScale: 0.75,
    qualityJitter: 8,
  },
};

function flipType(type: MinutiaType): MinutiaType {
  if (type === 'ending') return 'bifurcation';
  if (type === 'bifurcation') return 'ending';
  return type;
}

/**
 * Another capture of the same finger: rotated and shifted on the platen, partly outside the capture
 * window, elastically distorted (more towards the edges), with position and angle noise, missing
 * and spurious minutiae and some ending/bifurcation confusions. The result is a valid template of
 * the same image size as the master. Deterministic for the same rng state.
 */
export function generateImpression(master: MinutiaeTemplate, rng: Rng, profile: ImpressionProfile): MinutiaeTemplate {
  const p = PROFILES[profile];
  const { width, height } = master;

  // Finger centre and extent, estimated from the master's minutiae (math coordinates).
  const n = master.minutiae.length;
  const cx = n > 0 ? master.minutiae.reduce((s, m) => s + m.x, 0) / n : width / 2;
  const cy = n > 0 ? -master.minutiae.reduce((s, m) => s + m.y, 0) / n : -height / 2;
  const radius = Math.max(1, Math.min(width, height) / 2);

  const rotation = rng.float(-p.maxRotationDeg, p.maxRotationDeg) * DEG;
  const tx = rng.float(-p.maxTranslationPx, p.maxTranslationPx);
  const ty = rng.float(-p.maxTranslationPx, p.maxTranslationPx);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);

  // Smooth elastic distortion: zero at the centre, growing quadratically towards the edge, made of
  // a random anisotropic stretch and a twist.
  const stretchX = rng.normal(0, 1);
  const stretchY = rng.normal(0, 1);
  const twist = rng.normal(0, 1);
  const norm = Math.max(1, Math.hypot(stretchX, stretchY, twist));
  const kx = (p.distortionPx * stretchX) / norm;
  const ky = (p.distortionPx * stretchY) / norm;
  const kt = (p.distortionPx * twist) / norm;

  // Capture window (pixel coordinates of the impression).
  const windowW = width * rng.float(p.windowShare[0], p.windowShare[1]);
  const windowH = height * rng.float(p.windowShare[0], p.windowShare[1]);
  const windowX = rng.float(0, width - windowW);
  const windowY = rng.float(0, height - windowH);
  const inWindow = (x: number, y: number) =>
    x >= windowX && x < windowX + windowW && y >= windowY && y < windowY + windowH && x >= 0 && y >= 0;

  const missing = rng.float(p.missingShare[0], p.missingShare[1]);
  const kept: Minutia[] = [];
  for (const m of master.minutiae) {
    // Every draw happens for every minutia, so a dropped one does not shift the rest.
    const dropped = rng.bool(missing);
    const jx = rng.normal(0, p.positionJitterPx);
    const jy = rng.normal(0, p.positionJitterPx);
    const ja = rng.normal(0, p.angleJitterDeg);
    const flip = rng.bool(p.typeFlip);
    const dq = rng.normal(0, p.qualityJitter);
    if (dropped) continue;

    // Distort around the finger centre, then rotate around it and translate.
    const u = (m.x - cx) / radius;
    const v = (-m.y - cy) / radius;
    const r = Math.hypot(u, v);
    const dx = kx * u * r - kt * v * r;
    const dy = ky * v * r + kt * u * r;
    const ox = m.x - cx + dx;
    const oy = -m.y - cy + dy;
    const x = cx + cos * ox - sin * oy + tx + jx;
    const y = -(cy + sin * ox + cos * oy + ty) + jy;
    if (!inWindow(x, y)) continue;
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi > width - 1 || yi > height - 1) continue;
    kept.push({
      x: xi,
      y: yi,
      angle: roundAngle(m.angle + rotation / DEG + ja),
      type: flip ? flipType(m.type) : m.type,
      quality: clampInt(m.quality * p.qualityScale + dq, 0, 100),
    });
  }

  // Spurious minutiae: noise, scars, creases; random direction, low quality, inside the window.
  const spurious = Math.round(kept.length * p.spuriousShare * rng.float(0.5, 1.5));
  for (let i = 0; i < spurious; i++) {
    const x = clampInt(rng.float(windowX, windowX + windowW), 0, width - 1);
    const y = clampInt(rng.float(windowY, windowY + windowH), 0, height - 1);
    kept.push({
      x,
      y,
      angle: roundAngle(rng.float(0, 360)),
      type: rng.bool(0.5) ? 'ending' : 'bifurcation',
      quality: rng.int(15, 60),
    });
  }

  // A real extractor reports minutiae in scan order, not in the master's order.
  kept.sort((a, b) => a.y - b.y || a.x - b.x);
  return { width, height, resolutionPpi: master.resolutionPpi, minutiae: kept.slice(0, 200) };
}
