'use client';
/** Dependency graph: dagre layout (memoised on structure), status colours, blocked edges dashed, critical path highlighted. */
import '@xyflow/react/dist/style.css';
import type { FeatureDto } from '@omakase/api-contract';
import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type Node,
  Position,
  ReactFlow,
} from '@xyflow/react';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from '@/client/graph-layout';
import { STATUS_LABEL } from '../labels';
import { EmptyState } from '../ui';
import { useLiveProject } from './live-project';

const STATUS_COLOR: Record<string, string> = {
  pending: '#94a3b8',
  architecting: '#2563eb',
  coding: '#ea580c',
  reviewing: '#7c3aed',
  testing: '#16a34a',
  needs_input: '#ca8a04',
  done: '#15803d',
  failed: '#dc2626',
  cancelled: '#64748b',
};

/** Above this many nodes the view opens on the first layers instead of fitting everything. */
const LARGE_GRAPH = 200;

export function GraphView() {
  const { state } = useLiveProject();
  const router = useRouter();
  const features = useMemo(() => [...state.features.values()], [state.features]);
  // Only a structural change (ids, dependencies, statuses) re-runs the layout.
  const structure = features.map((f) => `${f.id}:${f.status}:${f.dependsOn.join(',')}`).join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the structure string on purpose
  const layout = useMemo(() => layoutGraph(features), [structure]);

  const { nodes, edges } = useMemo(() => {
    const byId = new Map(features.map((f) => [f.id, f]));
    const nodes: Node[] = features.map((f: FeatureDto) => {
      const critical = layout.criticalNodes.has(f.id);
      return {
        id: f.id,
        position: layout.positions.get(f.id) ?? { x: 0, y: 0 },
        // Fixed dimensions: with controlled nodes and no onNodesChange, React Flow never writes the
        // measured size back, and the MiniMap skips nodes without a size (an empty box).
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        data: {
          label: (
            <div className="text-left" data-testid="graph-node" data-status={f.status}>
              <div className="flex items-center justify-between font-mono text-[10px] opacity-80">
                <span>{f.key}</span>
                <span>{STATUS_LABEL[f.status as keyof typeof STATUS_LABEL]}</span>
              </div>
              <div className="truncate text-xs font-medium">{f.title}</div>
            </div>
          ),
        },
        style: {
          borderRadius: 10,
          border: `2px solid ${critical ? '#f97316' : STATUS_COLOR[f.status]}`,
          background: `color-mix(in srgb, ${STATUS_COLOR[f.status]} 14%, var(--color-surface))`,
          color: 'var(--color-ink)',
          boxShadow: critical ? '0 0 0 3px rgba(249,115,22,.25)' : undefined,
        },
      };
    });
    const edges: Edge[] = [];
    for (const f of features) {
      for (const dep of f.dependsOn) {
        const from = byId.get(dep);
        if (!from) continue;
        const id = `${dep}->${f.id}`;
        const blocked = from.status !== 'done';
        const critical = layout.criticalEdges.has(id);
        const stroke = critical ? '#f97316' : blocked ? '#ca8a04' : '#16a34a';
        edges.push({
          id,
          source: dep,
          target: f.id,
          className: blocked ? 'edge-blocked' : 'edge-satisfied',
          animated: critical,
          markerEnd: { type: MarkerType.ArrowClosed, color: stroke },
          style: {
            stroke,
            strokeWidth: critical ? 3 : 1.5,
            strokeDasharray: blocked && !critical ? '6 4' : undefined,
          },
        });
      }
    }
    return { nodes, edges };
  }, [features, layout]);

  const statusById = useMemo(() => new Map(features.map((f) => [f.id, f.status])), [features]);
  // A big graph opens readable at its first layers (the MiniMap shows the rest): fitting all
  // 1,000 nodes would draw every one of them at an unreadable size and cost a second to render.
  const fitViewOptions = useMemo(() => {
    // Never zoom in past 1: a handful of nodes would otherwise fill the screen under the MiniMap.
    if (nodes.length <= LARGE_GRAPH) return { padding: 0.15, maxZoom: 1 };
    const leftmost = [...nodes].sort((a, b) => a.position.x - b.position.x).slice(0, 24);
    return { nodes: leftmost.map((n) => ({ id: n.id })), minZoom: 0.6, maxZoom: 1 };
  }, [nodes]);
  if (features.length === 0) return <EmptyState title="No features to graph" />;
  return (
    <div className="h-[72vh] rounded-[var(--radius-card)] border border-line bg-surface" data-testid="graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        fitViewOptions={fitViewOptions}
        colorMode="system"
        minZoom={0.05}
        nodesDraggable={false}
        nodesConnectable={false}
        onlyRenderVisibleElements
        onNodeClick={(_, node) => router.push(`/projects/${state.project.id}/features/${node.id}`)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          bgColor="var(--color-subtle)"
          maskColor="color-mix(in srgb, var(--color-canvas) 55%, transparent)"
          maskStrokeColor="var(--color-muted)"
          nodeBorderRadius={8}
          nodeColor={(n) => STATUS_COLOR[statusById.get(n.id) ?? 'pending'] ?? '#94a3b8'}
          nodeStrokeColor={(n) => (layout.criticalNodes.has(n.id) ? '#f97316' : 'transparent')}
          nodeStrokeWidth={6}
        />
      </ReactFlow>
      <p className="px-3 py-2 text-xs text-muted">
        <span className="font-semibold text-[#f97316]">Orange</span>: critical path (longest unfinished chain)
        · dashed: blocked dependency · green: satisfied
      </p>
    </div>
  );
}
