import { ActivityFeed } from '@/components/project/activity-feed';

export default function ActivityPage() {
  return <ActivityFeed />;
}
