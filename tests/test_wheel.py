"""A wheel built from the repository works without the checkout: the bundled priors, the anatomy classifier and the demo
image travel inside it. The wheel is installed into a fresh virtual environment outside the repository; the project
venv's site-packages is added to it for the dependencies (torch, odl, ...) only. A path line in a .pth file does not run
the .pth files of the folder it adds, so the editable finder of the project's own install stays out."""
import json, os, shutil, subprocess, sys, sysconfig, zipfile
from pathlib import Path
import pytest

REPO = Path(__file__).parents[1]
TOP_SKIP = {'.git', '.venv', 'runs', '_docs', '_proc', 'build', 'dist', 'out', 'tmp', '.hypothesis', '.pytest_cache', 'tests'}

def _ignore(folder, names):
    "What the copy of the repository leaves out: the venv, runs and other local folders, build leftovers."
    top = Path(folder) == REPO
    return [n for n in names if (top and n in TOP_SKIP) or n.endswith('.egg-info') or n == '__pycache__']

def _run(cmd, cwd, env=None, timeout=300):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{cmd[0]} failed:\n{r.stdout[-1500:]}\n{r.stderr[-3000:]}"
    return r.stdout

@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    "(wheel, python, env, workdir): the wheel built from a copy of the repository, installed alone into a fresh venv."
    tmp = tmp_path_factory.mktemp('wheel')
    src = tmp / 'src'
    shutil.copytree(REPO, src, ignore=_ignore)
    _run([sys.executable, '-m', 'pip', 'wheel', '.', '--no-deps', '--no-build-isolation', '-q', '-w', tmp / 'dist'], src)
    wheel = next((tmp / 'dist').glob('padis_nb-*.whl'))
    venv = tmp / 'venv'
    _run([sys.executable, '-m', 'venv', '--without-pip', venv], tmp)
    py = venv / 'bin' / 'python'
    _run([sys.executable, '-m', 'pip', '--python', py, 'install', '-q', '--no-deps', '--no-index', wheel], tmp)
    site = Path(_run([py, '-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).strip())
    deps = {sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']}     # the project venv's: torch, odl, ...
    (site / 'zz_project_deps.pth').write_text(''.join(f'{d}\n' for d in sorted(deps)))   # after the install, so pip never sees them
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'PADIS_PRIORS_DIR', 'VIRTUAL_ENV')}
    env.update(OMP_NUM_THREADS='1', PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    work = tmp / 'work'; work.mkdir()
    return wheel, py, env, work

def test_wheel_holds_the_bundled_data(installed):
    names = set(zipfile.ZipFile(installed[0]).namelist())
    for f in ('priors/ct128.safetensors', 'priors/natural64.safetensors', 'priors/ct_anatomy_classifier.safetensors',
              'priors/ct64_v2_anatomy_classifier.safetensors',
              'priors/README.md', 'priors/logs/ct128.jsonl', 'ct_test.png', 'natural_test.png'):
        assert f'padis_nb/bundled/{f}' in names, f

def test_installed_wheel_loads_a_bundled_prior_outside_the_repo(installed):
    _, py, env, work = installed
    code = ("import json, padis_nb; from padis_nb.priors import load_prior, bundled_priors, data_path; m = load_prior('ct128'); "
            "print(json.dumps(dict(file=padis_nb.__file__, priors=bundled_priors(), data=str(data_path()), size=m.config['image_size'])))")
    out = json.loads(_run([py, '-c', code], work, env).strip().splitlines()[-1])
    venv = py.parent.parent
    assert Path(out['file']).is_relative_to(venv) and Path(out['data']).is_relative_to(venv), out   # not the checkout
    assert {'ct128', 'ct128_nopos', 'ct128_whole', 'natural64'} <= set(out['priors']) and out['size'] == 128

def test_installed_wheel_runs_padis_demo(installed):
    _, py, env, work = installed
    _run([py.parent / 'padis', 'demo', '--out', work / 'demo', '--quiet'], work, env, timeout=600)
    info = json.loads((work / 'demo' / 'demo.json').read_text())
    assert (work / 'demo' / 'demo.png').stat().st_size > 1000 and info['psnr'] > info['baseline']['psnr']
