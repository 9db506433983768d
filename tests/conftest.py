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

def pytest_collection_modifyitems(config, items):
    if config.getoption('--runslow'): return
    skip = pytest.mark.skip(reason='slow: pass --runslow')
    for it in items:
        if 'slow' in it.keywords: it.add_marker(skip)

@pytest.fixture
def gen():
    return torch.Generator().manual_seed(0)
