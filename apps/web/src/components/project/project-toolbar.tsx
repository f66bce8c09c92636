'use client';
/** Project header controls: view tabs, new/bulk feature dialogs, project start/pause/stop, sound, live status, shortcuts. */
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { commands } from '@/client/api';
import { Dialog } from './dialog';
import { BulkAdd, FeatureEditor } from './feature-editor';
import { useLiveProject } from './live-project';

const SHORTCUTS = [
  ['n', 'New feature'],
  ['g b', 'Go to the board'],
  ['g g', 'Go to the graph'],
  ['g a', 'Go to activity'],
  ['?', 'Show this help'],
] as const;

export function ProjectToolbar() {
  const { state, can, status, sound, setSound } = useLiveProject();
  const router = useRouter();
  const pathname = usePathname();
  const base = `/projects/${state.project.id}`;
  const [dialog, setDialog] = useState<'new' | 'bulk' | 'help' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pendingG = useRef(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        target.closest('input, textarea, select, [contenteditable], dialog')
      )
        return;
      if (pendingG.current) {
        pendingG.current = false;
        if (e.key === 'b') router.push(base);
        if (e.key === 'g') router.push(`${base}/graph`);
        if (e.key === 'a') router.push(`${base}/activity`);
        return;
      }
      if (e.key === 'g') {
        pendingG.current = true;
        setTimeout(() => (pendingG.current = false), 1200);
      } else if (e.key === 'n' && can.editFeatures) {
        e.preventDefault();
        setDialog('new');
      } else if (e.key === '?') setDialog('help');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router, base, can.editFeatures]);

  const projectCommand = async (command: 'start' | 'pause' | 'stop') => {
    setError(null);
    try {
      await commands.project(state.project.id, command);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const tab = (href: string, label: string) => {
    const active = href === base ? pathname === base : pathname.startsWith(href);
    return (
      <Link
        href={href}
        aria-current={active ? 'page' : undefined}
        className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-surface text-ink shadow-xs' : 'text-muted hover:text-ink'}`}
      >
        {label}
      </Link>
    );
  };
  const ghost =
    'rounded-md border border-line bg-surface px-3 py-1.5 text-sm font-medium hover:border-accent hover:text-accent';

  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <nav className="flex gap-1 rounded-lg bg-subtle p-1" aria-label="Project views">
        {tab(base, 'Board')}
        {tab(`${base}/graph`, 'Graph')}
        {tab(`${base}/activity`, 'Activity')}
        {tab(`${base}/settings`, 'Settings')}
      </nav>
      <div className="flex flex-wrap items-center gap-2">
        <span
          data-testid="stream-status"
          data-status={status}
          className="flex items-center gap-1.5 text-xs text-muted"
          title="Live updates"
        >
          <span className={`size-2 rounded-full ${status === 'live' ? 'bg-ok' : 'bg-warn animate-pulse'}`} />
          {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting' : 'Reconnecting'}
        </span>
        <button
          type="button"
          aria-pressed={sound}
          onClick={() => setSound(!sound)}
          className="rounded-md px-2 py-1 text-sm text-muted hover:bg-subtle"
        >
          Sound {sound ? 'on' : 'off'}
        </button>
        {can.runPipeline ? (
          state.project.status === 'active' ? (
            <button type="button" className={ghost} onClick={() => void projectCommand('pause')}>
              Pause project
            </button>
          ) : (
            <button type="button" className={ghost} onClick={() => void projectCommand('start')}>
              Start project
            </button>
          )
        ) : null}
        {can.stopPipeline ? (
          <button type="button" className={ghost} onClick={() => void projectCommand('stop')}>
            Stop all
          </button>
        ) : null}
        {can.editFeatures ? (
          <>
            <button type="button" className={ghost} onClick={() => setDialog('bulk')}>
              Bulk add
            </button>
            <button
              type="button"
              className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-ink hover:opacity-90"
              onClick={() => setDialog('new')}
            >
              New feature
            </button>
          </>
        ) : null}
        <button
          type="button"
          aria-label="Keyboard shortcuts"
          className="rounded-md px-2 py-1 text-sm text-muted hover:bg-subtle"
          onClick={() => setDialog('help')}
        >
          ?
        </button>
      </div>
      {error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      ) : null}
      <Dialog title="New feature" open={dialog === 'new'} onClose={() => setDialog(null)}>
        <FeatureEditor onDone={() => setDialog(null)} />
      </Dialog>
      <Dialog title="Bulk add features" open={dialog === 'bulk'} onClose={() => setDialog(null)}>
        <BulkAdd onDone={() => setDialog(null)} />
      </Dialog>
      <Dialog title="Keyboard shortcuts" open={dialog === 'help'} onClose={() => setDialog(null)}>
        <dl className="grid grid-cols-[6rem_1fr] gap-2 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded border border-line bg-subtle px-1.5 font-mono">{keys}</kbd>
              </dt>
              <dd className="text-muted">{what}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
    </div>
  );
}
