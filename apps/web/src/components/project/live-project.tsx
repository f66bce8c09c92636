'use client';
/** Holds a project's live board for every project page and applies the SSE stream to it. */
import type { BoardDto, StreamMessage } from '@omakase/api-contract';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
} from 'react';
import { commands } from '@/client/api';
import { applyMessage, type BoardState, boardFromDto, resyncBoard } from '@/client/board-state';
import { type StreamStatus, useProjectStream } from '@/client/use-project-stream';
import { CelebrationLayer, useCelebrations } from './celebrations';

export interface Permissions {
  editFeatures: boolean;
  deleteFeatures: boolean;
  runPipeline: boolean;
  stopPipeline: boolean;
  answer: boolean;
  editProject: boolean;
}

interface LiveProject {
  state: BoardState;
  status: StreamStatus;
  can: Permissions;
  sound: boolean;
  setSound(on: boolean): void;
}

const Context = createContext<LiveProject | null>(null);

type Action = { kind: 'message'; message: StreamMessage } | { kind: 'resync'; board: BoardDto };

function reducer(state: BoardState, action: Action): BoardState {
  return action.kind === 'resync' ? resyncBoard(state, action.board) : applyMessage(state, action.message);
}

export function LiveProjectProvider({
  board,
  cursor,
  can,
  children,
}: {
  board: BoardDto;
  cursor: string;
  can: Permissions;
  children: ReactNode;
}) {
  const [state, dispatch] = useReducer(reducer, board, boardFromDto);
  const celebrations = useCelebrations();
  const stateRef = useRef(state);
  stateRef.current = state;

  const onMessage = useCallback(
    (message: StreamMessage) => {
      if (message.type === 'resync') {
        void commands.board(board.project.id).then((fresh) => dispatch({ kind: 'resync', board: fresh }));
        return;
      }
      if (message.type === 'feature' && message.feature.status === 'done') {
        const previous = stateRef.current.features.get(message.feature.id);
        if (previous && previous.status !== 'done') {
          const features = new Map(stateRef.current.features).set(message.feature.id, message.feature);
          const all = [...features.values()].every((f) => f.status === 'done' || f.status === 'cancelled');
          celebrations.celebrate({ key: message.feature.key, title: message.feature.title, project: all });
        }
      }
      dispatch({ kind: 'message', message });
    },
    [board.project.id, celebrations],
  );
  const status = useProjectStream(board.project.id, cursor, onMessage);
  // Hydration marker (children's effects ran first): the board-1000 benchmark and tests read it.
  useEffect(() => {
    performance.mark('omakase:hydrated');
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  const { sound, setSound } = celebrations;
  const value = useMemo(
    () => ({ state, status, can, sound, setSound }),
    [state, status, can, sound, setSound],
  );
  return (
    <Context.Provider value={value}>
      {children}
      <CelebrationLayer controller={celebrations} />
    </Context.Provider>
  );
}

export function useLiveProject(): LiveProject {
  const value = useContext(Context);
  if (!value) throw new Error('useLiveProject outside LiveProjectProvider');
  return value;
}
