export default function Loading() {
  return (
    <div className="grid grid-cols-4 gap-4" role="status" aria-busy="true" aria-label="Loading">
      {[0, 1, 2, 3].map((column) => (
        <div key={column} className="space-y-2 rounded-[var(--radius-card)] bg-subtle/70 p-2">
          <div className="h-5 w-24 animate-pulse rounded bg-line motion-reduce:animate-none" />
          {[0, 1, 2].map((card) => (
            <div key={card} className="h-24 animate-pulse rounded-lg bg-surface motion-reduce:animate-none" />
          ))}
        </div>
      ))}
    </div>
  );
}
