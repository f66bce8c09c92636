import { GraphView } from '@/components/project/graph-view';

export default function GraphPage() {
  return <GraphView />;
}
