'use client';
/**
 * Confetti when a feature reaches Done (about 3 s each, queued when several finish together) and a
 * bigger burst when the whole project is done. Sound is off by default (a WebAudio chime, no asset).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Mascot } from '../mascot';

interface Celebration {
  key: string;
  title: string;
  project: boolean;
}

const DURATION_MS = 3000;
const SOUND_KEY = 'omakase:sound';

export interface CelebrationController {
  current: Celebration | null;
  queued: number;
  sound: boolean;
  setSound(on: boolean): void;
  celebrate(c: Celebration): void;
}

export function useCelebrations(): CelebrationController {
  const [queue, setQueue] = useState<Celebration[]>([]);
  const [sound, setSoundState] = useState(false);
  useEffect(() => {
    setSoundState(localStorage.getItem(SOUND_KEY) === 'on');
  }, []);
  const setSound = useCallback((on: boolean) => {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    setSoundState(on);
  }, []);
  const celebrate = useCallback((c: Celebration) => setQueue((q) => [...q, c]), []);
  const current = queue[0] ?? null;
  useEffect(() => {
    if (!current) return;
    const timer = setTimeout(
      () => setQueue((q) => q.slice(1)),
      current.project ? DURATION_MS * 2 : DURATION_MS,
    );
    return () => clearTimeout(timer);
  }, [current]);
  return useMemo(
    () => ({ current, queued: Math.max(queue.length - 1, 0), sound, setSound, celebrate }),
    [current, queue.length, sound, setSound, celebrate],
  );
}

function chime(big: boolean) {
  const ctx = new AudioContext();
  const notes = big ? [523, 659, 784, 1047] : [659, 988];
  notes.forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.12, ctx.currentTime + i * 0.12);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.12 + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + i * 0.12);
    osc.stop(ctx.currentTime + i * 0.12 + 0.3);
  });
  setTimeout(() => void ctx.close(), 1500);
}

export function CelebrationLayer({ controller }: { controller: CelebrationController }) {
  const { current, queued, sound } = controller;
  const fired = useRef<Celebration | null>(null);
  useEffect(() => {
    if (!current || fired.current === current) return;
    fired.current = current;
    if (sound) chime(current.project);
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    void import('canvas-confetti').then(({ default: confetti }) => {
      const bursts = current.project ? 6 : 2;
      for (let i = 0; i < bursts; i++) {
        setTimeout(
          () =>
            confetti({
              particleCount: current.project ? 160 : 70,
              spread: current.project ? 120 : 70,
              origin: { x: current.project ? 0.2 + 0.6 * Math.random() : 0.85, y: 0.85 },
              disableForReducedMotion: true,
            }),
          i * 400,
        );
      }
    });
  }, [current, sound]);
  if (!current) return null;
  return (
    <div
      data-testid="celebration"
      role="status"
      className="fixed right-6 bottom-6 z-50 flex items-center gap-3 rounded-[var(--radius-card)] border border-line bg-surface px-4 py-3 shadow-lg"
    >
      <Mascot agent={current.project ? 'orchestrator' : 'tester'} state="success" size={48} />
      <div>
        <p className="font-semibold">{current.project ? 'Project complete!' : `${current.key} is done!`}</p>
        <p className="text-sm text-muted">{current.project ? 'Every feature has shipped.' : current.title}</p>
        {queued > 0 ? <p className="text-xs text-muted">+{queued} more</p> : null}
      </div>
    </div>
  );
}
