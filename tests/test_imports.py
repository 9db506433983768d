"Every exported module imports on its own in a fresh interpreter (no notebook globals leak into the library)."
import subprocess, sys, pkgutil, pytest
import padis_nb

MODULES = sorted(m.name for m in pkgutil.iter_modules(padis_nb.__path__) if not m.name.startswith('_'))

@pytest.mark.parametrize('mod', MODULES)
def test_module_imports_alone(mod):
    r = subprocess.run([sys.executable, '-c', f'import padis_nb.{mod}'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_no_hardwired_devices_or_global_seeding():
    import pathlib, re
    for p in pathlib.Path(padis_nb.__file__).parent.glob('*.py'):
        src = p.read_text()
        assert not re.search(r'\.cuda\(\)|sys\.path\.(append|insert)|torch\.manual_seed', src), p.name
