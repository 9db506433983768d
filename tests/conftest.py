import os, pytest, torch

def pytest_addoption(parser):
    parser.addoption('--runslow', action='store_true', default=False, help='also run tests marked slow')

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: longer tests (training, full solves); run with --runslow')
    if int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1')) > 1:
        # parallel workers (`pytest -n 2`, as `make test` runs): one thread each, in the worker and in every process it
        # starts; torch's default of one thread per core in each would oversubscribe the cores the workers share
        os.environ['OMP_NUM_THREADS'] = '1'
        torch.set_num_threads(1)

# Modules whose tests take longest, first: `pytest -n 2 --dist loadfile` hands whole modules to the workers in
# collection order, so a long module collected last (test_site, test_wheel) would leave one worker idle at the end.
LONG_FIRST = ('test_cli.py', 'test_site.py', 'test_wheel.py', 'test_solvers.py', 'test_training.py',
              'test_docs_commands.py', 'test_train_cli_fuzz.py', 'test_imports.py', 'test_generation.py',
              'test_headless.py')

def pytest_collection_modifyitems(config, items):
    rank = lambda it: LONG_FIRST.index(it.path.name) if it.path.name in LONG_FIRST else len(LONG_FIRST)
    items.sort(key=rank)                                            # stable: the order within a module is kept
    if config.getoption('--runslow'): return
    skip = pytest.mark.skip(reason='slow: pass --runslow')
    for it in items:
        if 'slow' in it.keywords: it.add_marker(skip)

@pytest.fixture
def gen():
    return torch.Generator().manual_seed(0)
