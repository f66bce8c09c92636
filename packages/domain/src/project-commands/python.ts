/**
 * Python: a virtualenv `.venv` that sees the system's packages (`--system-site-packages`: where no
 * Python registry is reachable, pytest and friends come from the OS, e.g. Debian's python3-pytest),
 * the requirements files installed into it, and the project itself (editable, without build
 * isolation, so the system's setuptools builds it offline) when it is installable.
 */
import type { Detected, RepoSnapshot } from './types';

const VENV = 'python3 -m venv --system-site-packages .venv';
const PY = '.venv/bin/python';
const MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini', 'pytest.ini'];
const REQUIREMENTS = /^(requirements[\w.-]*|[\w.-]*-requirements)\.txt$/;

export function detectPython(repo: RepoSnapshot): Detected {
  const requirements = repo.files.filter((name) => REQUIREMENTS.test(name)).sort(requirementsFirst);
  const marker = MARKERS.find((name) => repo.files.includes(name)) ?? requirements[0];
  if (!marker) return {};
  const text = (name: string) => repo.contents[name] ?? '';
  const pyproject = text('pyproject.toml');
  const setupCfg = text('setup.cfg');
  const tox = text('tox.ini');
  const installable = repo.files.includes('setup.py')
    ? 'setup.py'
    : /^\[(project|build-system)\]/m.test(pyproject)
      ? 'pyproject.toml'
      : null;
  const steps = [VENV, ...requirements.map((name) => `${PY} -m pip install -r ${name}`)];
  if (installable) steps.push(`${PY} -m pip install --no-build-isolation -e .`);
  const out: Detected = {
    setup: {
      command: steps.join(' && '),
      source: [installable, ...requirements].filter(Boolean).join(', ') || marker,
    },
  };
  out.test = {
    command: `${PY} -m pytest`,
    source: pytestSource(repo, { pyproject, setupCfg, tox }) ?? marker,
  };
  const sections = (section: string) =>
    [
      ['pyproject.toml', pyproject, `[tool.${section}`],
      ['setup.cfg', setupCfg, `[${section}]`],
      ['tox.ini', tox, `[${section}]`],
    ].find(([, content, header]) => content!.includes(header!))?.[0];
  const ruff = repo.files.includes('ruff.toml') ? 'ruff.toml' : sections('ruff');
  const flake8 = repo.files.includes('.flake8') ? '.flake8' : sections('flake8');
  if (ruff) out.lint = { command: `${PY} -m ruff check .`, source: ruff };
  else if (flake8) out.lint = { command: `${PY} -m flake8`, source: flake8 };
  const mypy = repo.files.includes('mypy.ini') ? 'mypy.ini' : sections('mypy');
  if (mypy) out.typecheck = { command: `${PY} -m mypy .`, source: mypy };
  return out;
}

/** Where the project says it uses pytest; null when it does not say (pytest still runs unittest suites). */
function pytestSource(
  repo: RepoSnapshot,
  files: { pyproject: string; setupCfg: string; tox: string },
): string | null {
  if (repo.files.includes('pytest.ini')) return 'pytest.ini';
  if (files.pyproject.includes('[tool.pytest')) return 'pyproject.toml [tool.pytest.ini_options]';
  if (files.setupCfg.includes('[tool:pytest]')) return 'setup.cfg [tool:pytest]';
  if (/^\[pytest\]/m.test(files.tox) || /\bpytest\b/.test(files.tox)) return 'tox.ini';
  if (repo.files.includes('conftest.py')) return 'conftest.py';
  return null;
}

/** `requirements.txt` before its dev/test variants. */
const requirementsFirst = (a: string, b: string) =>
  a === 'requirements.txt' ? -1 : b === 'requirements.txt' ? 1 : a.localeCompare(b);
