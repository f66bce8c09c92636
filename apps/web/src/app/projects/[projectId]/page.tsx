import { AgentsPanel } from '@/components/project/agents-panel';
import { Board } from '@/components/project/board';

export default function BoardPage() {
  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_18rem]">
      <Board />
      <div className="order-first xl:order-none">
        <AgentsPanel />
      </div>
    </div>
  );
}
