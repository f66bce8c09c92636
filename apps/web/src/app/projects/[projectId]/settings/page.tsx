import { ProjectSettingsForm } from '@/components/project/settings-form';

export default function SettingsPage() {
  return <ProjectSettingsForm />;
}
