/**
 * The agents' mascots, drawn for Omakase: one character per role plus the orchestrator.
 * Animation is pure CSS keyed on `data-state` (see globals.css) and is off under
 * `prefers-reduced-motion`.
 */
import type { RunRole } from '@omakase/domain';

/** Every run role (setup included: it installs the environment) plus the orchestrator. */
export type MascotRole = RunRole | 'orchestrator';
export type MascotState = 'idle' | 'thinking' | 'working' | 'testing' | 'success' | 'error';

export const MASCOTS: Record<MascotRole, { name: string; title: string; color: string }> = {
  setup: { name: 'Kit', title: 'Setup', color: '#0891b2' },
  architect: { name: 'Ada', title: 'Architect', color: '#2563eb' },
  coder: { name: 'Byte', title: 'Coder', color: '#ea580c' },
  reviewer: { name: 'Iris', title: 'Reviewer', color: '#7c3aed' },
  tester: { name: 'Tess', title: 'Tester', color: '#16a34a' },
  orchestrator: { name: 'Maestro', title: 'Orchestrator', color: '#475569' },
};

/** The natural state of a role while its run is active. */
export function activeState(role: MascotRole): MascotState {
  return role === 'tester' ? 'testing' : role === 'architect' || role === 'reviewer' ? 'thinking' : 'working';
}

function Accessory({ role }: { role: MascotRole }) {
  switch (role) {
    case 'setup': // a hard hat
      return (
        <>
          <path d="M14 16 Q32 -2 50 16 Z" fill="#facc15" stroke="#a16207" strokeWidth="1.5" />
          <rect x="10" y="15" width="44" height="4" rx="2" fill="#eab308" />
        </>
      );
    case 'architect': // owl tufts + a rolled blueprint
      return (
        <>
          <path d="M14 14 L10 4 L22 11 Z M50 14 L54 4 L42 11 Z" fill="currentColor" />
          <rect
            x="44"
            y="40"
            width="16"
            height="6"
            rx="3"
            fill="#bfdbfe"
            stroke="#1e3a8a"
            strokeWidth="1.5"
          />
        </>
      );
    case 'coder': // antenna + visor
      return (
        <>
          <line x1="32" y1="8" x2="32" y2="1.5" stroke="currentColor" strokeWidth="2.5" />
          <circle className="mascot-blink" cx="32" cy="2.5" r="2.5" fill="#fde047" />
          <rect x="14" y="20" width="36" height="14" rx="6" fill="#1c1917" opacity="0.85" />
        </>
      );
    case 'reviewer': // cat ears + round glasses
      return (
        <>
          <path d="M12 16 L14 3 L25 11 Z M52 16 L50 3 L39 11 Z" fill="currentColor" />
          <circle cx="24" cy="27" r="7" fill="none" stroke="#1c1917" strokeWidth="2" />
          <circle cx="40" cy="27" r="7" fill="none" stroke="#1c1917" strokeWidth="2" />
          <line x1="31" y1="27" x2="33" y2="27" stroke="#1c1917" strokeWidth="2" />
        </>
      );
    case 'tester': // a test tube with bubbles
      return (
        <>
          <rect
            x="47"
            y="30"
            width="8"
            height="18"
            rx="4"
            fill="#dcfce7"
            stroke="#14532d"
            strokeWidth="1.5"
          />
          <rect x="48.5" y="39" width="5" height="8" rx="2.5" fill="#4ade80" />
          <circle className="mascot-bubble" cx="51" cy="28" r="1.6" fill="#86efac" />
        </>
      );
    case 'orchestrator': // top hat + baton
      return (
        <>
          <rect x="20" y="0" width="24" height="10" rx="2" fill="#0f172a" />
          <rect x="15" y="9" width="34" height="4" rx="2" fill="#0f172a" />
          <line
            className="mascot-baton"
            x1="50"
            y1="44"
            x2="62"
            y2="30"
            stroke="#fef3c7"
            strokeWidth="2.5"
            strokeLinecap="round"
          />
        </>
      );
  }
}

export function Mascot({
  agent: role,
  state = 'idle',
  size = 40,
  label = true,
}: {
  agent: MascotRole;
  state?: MascotState;
  size?: number;
  label?: boolean;
}) {
  const m = MASCOTS[role];
  const eyesHidden = role === 'coder';
  return (
    <span
      className="mascot inline-flex shrink-0"
      data-role={role}
      data-state={state}
      role="img"
      aria-label={`${m.name} the ${m.title.toLowerCase()}, ${state}`}
      aria-hidden={label ? undefined : true}
      title={`${m.name} · ${m.title}`}
      style={{ color: m.color, width: size, height: size }}
    >
      <svg
        viewBox="0 0 64 64"
        width={size}
        height={size}
        className="mascot-body overflow-visible"
        aria-hidden="true"
      >
        <ellipse cx="32" cy="60" rx="16" ry="3" fill="#000" opacity="0.12" className="mascot-shadow" />
        <g className="mascot-figure">
          <path
            d="M10 34 C10 16 20 8 32 8 C44 8 54 16 54 34 C54 50 45 57 32 57 C19 57 10 50 10 34 Z"
            fill="currentColor"
          />
          <ellipse cx="32" cy="44" rx="13" ry="10" fill="#fff" opacity="0.25" />
          <Accessory role={role} />
          {eyesHidden ? (
            <>
              <rect className="mascot-eye" x="20" y="25" width="8" height="4" rx="2" fill="#5eead4" />
              <rect className="mascot-eye" x="36" y="25" width="8" height="4" rx="2" fill="#5eead4" />
            </>
          ) : (
            <>
              <circle className="mascot-eye" cx="24" cy="27" r="3.2" fill="#1c1917" />
              <circle className="mascot-eye" cx="40" cy="27" r="3.2" fill="#1c1917" />
            </>
          )}
          <path
            className="mascot-mouth"
            d={state === 'error' ? 'M26 42 Q32 37 38 42' : 'M26 39 Q32 45 38 39'}
            stroke="#1c1917"
            strokeWidth="2.2"
            fill="none"
            strokeLinecap="round"
          />
        </g>
        {state === 'thinking' ? (
          <g className="mascot-dots" fill="currentColor">
            <circle cx="52" cy="8" r="2" />
            <circle cx="58" cy="4" r="2.5" />
            <circle cx="64" cy="-1" r="3" />
          </g>
        ) : null}
      </svg>
    </span>
  );
}
