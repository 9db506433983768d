"`padis train` fuzzed: every combination of good and bad arguments ends in a trained prior or one clear error line."
import math, os, subprocess, sys
from pathlib import Path
import pytest, torch
from hypothesis import given, settings, strategies as st, HealthCheck
from padis_nb.priors import load_prior

PADIS = str(Path(sys.executable).parent / 'padis')
N_EXAMPLES = int(os.environ.get('PADIS_FUZZ_EXAMPLES', 12))
TRIED = []     # every argument list tried, for the count in the report

args = st.fixed_dictionaries({
    'image_size': st.sampled_from([32, 32, 32, 0, -8, 30, 10**6]),
    'patch_size': st.sampled_from([8, 8, 8, 0, -4, 6, 40, 10**6]),
    'n_train': st.sampled_from([4, 4, 0, -1, 10**9]),
    'steps': st.sampled_from([1, 2, 0, -5]),
    'pixels_per_step': st.sampled_from([256, 1024, 0, -1]),
    'lr': st.sampled_from([1e-3, 1e-3, 0.0, -1.0, math.nan, math.inf]),
    'ch': st.sampled_from([8, 8, 0, -2, 3]),
    'blocks': st.sampled_from([1, 1, 0, -1]),
    'seed': st.sampled_from([0, 0, -1, 2**70]),
    'ckpt_every': st.sampled_from([1, 1, 0]),
    'threads': st.sampled_from([1, 1, 0, -1]),
    'max_minutes': st.sampled_from([None, None, 0.0, -1.0, math.nan]),
    'kind': st.sampled_from(['patch', 'patch', 'whole', 'bogus']),
    'channels': st.sampled_from([1, 1, 3, 2]),
    'data': st.sampled_from(['ct', 'ct', 'natural', 'MISSING', 'GARBAGE']),
})

@settings(max_examples=N_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=args)
def test_train_cli_fuzzed_arguments(tmp_path_factory, a):
    tmp = tmp_path_factory.mktemp('fz'); out = tmp / 'run'
    if a['data'] == 'MISSING': a = {**a, 'data': str(tmp / 'nothing_here')}
    if a['data'] == 'GARBAGE':
        (tmp / 'junk').mkdir(); (tmp / 'junk' / 'a.png').write_bytes(b'not a png at all'); a = {**a, 'data': str(tmp / 'junk')}
    cmd = [PADIS, 'train', '--out', str(out)]
    for k, v in a.items():
        if v is not None: cmd += [f'--{k}', str(v)]
    TRIED.append(cmd)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert 'Traceback' not in r.stderr, r.stderr[-3000:]
    if r.returncode == 0:
        m = load_prior(out / 'prior.safetensors', image_size=a['image_size'])
        assert m.config['kind'] == a['kind'] and m.config['channels'] == a['channels']
    else:
        assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
        lines = [l for l in r.stderr.strip().splitlines() if l.strip() and '%|' not in l and 'it/s' not in l]
        assert len(lines) == 1 and 'error' in lines[0], r.stderr[-2000:]
        assert not (out / 'prior.safetensors').exists() and not (out / 'state.pt').exists()

GOOD = dict(image_size=32, patch_size=8, n_train=4, steps=1, pixels_per_step=256, lr=1e-3, ch=8, blocks=1, seed=0, ckpt_every=1,
            threads=1, kind='patch', channels=1, data='ct')
BAD = [('image_size', 0, 'positive'), ('image_size', 30, 'stride'), ('image_size', 10**6, 'GiB'), ('patch_size', 6, 'multiple of 4'),
       ('patch_size', 40, 'larger than the image'), ('n_train', 0, 'positive'), ('n_train', 10**9, 'GiB'), ('steps', -5, 'positive'),
       ('pixels_per_step', 0, 'pixels_per_step'), ('pixels_per_step', -1, 'pixels_per_step'), ('lr', 0.0, 'lr'), ('lr', -1.0, 'lr'), ('lr', math.nan, 'lr'), ('lr', math.inf, 'lr'),
       ('ch', 0, 'even ch'), ('ch', 3, 'even ch'), ('blocks', -1, 'blocks'), ('seed', -1, 'seed'), ('seed', 2**70, 'seed'),
       ('ckpt_every', 0, 'ckpt_every'), ('ckpt_every', -3, 'ckpt_every'), ('threads', 0, 'threads'), ('threads', -1, 'threads'), ('max_minutes', 0.0, 'max_minutes'), ('max_minutes', -1.0, 'max_minutes'),
       ('max_minutes', math.nan, 'max_minutes'), ('kind', 'bogus', 'kind'), ('channels', 2, 'channels'), ('channels', 3, '1 channel'),
       ('data', 'natural', '3 channel'), ('data', 'MISSING', 'does not exist'), ('data', 'GARBAGE', 'cannot read')]

@pytest.mark.parametrize('key,value,words', BAD, ids=[f'{k}={v}' for k, v, _ in BAD])
def test_train_cli_each_bad_argument(tmp_path, monkeypatch, capsys, key, value, words):
    """Each bad argument on its own (the rest valid): exit 2, one line naming the problem, nothing written. In-process
    through the console script's `main` (the fuzz test above and the good case below run the real `padis` process)."""
    import padis_nb.cli as cli
    a = {**GOOD, key: value}
    if value == 'MISSING': a['data'] = str(tmp_path / 'nothing_here')
    if value == 'GARBAGE':
        (tmp_path / 'junk').mkdir()
        (tmp_path / 'junk' / 'a.png').write_bytes(b'nope')
        a['data'] = str(tmp_path / 'junk')
    out = tmp_path / 'run'
    argv = ['padis', 'train', '--out', str(out)] + [x for k, v in a.items() for x in (f'--{k}', str(v))]
    TRIED.append(argv)
    monkeypatch.setattr(sys, 'argv', argv)
    monkeypatch.setattr(torch, 'set_num_threads', lambda n: None)        # --threads 1 must not pin this test process
    with pytest.raises(SystemExit) as e: cli.main()
    err = capsys.readouterr().err
    lines = [l for l in err.strip().splitlines() if l.strip() and '%|' not in l and 'it/s' not in l]
    assert e.value.code == 2 and len(lines) == 1, err[-2000:]
    assert words in lines[0], lines[0]
    assert not (out / 'prior.safetensors').exists() and not (out / 'state.pt').exists()

def test_train_cli_good_arguments_train(tmp_path):
    "The valid baseline of the cases above trains and writes a loadable prior (so the bad cases fail for their own reason)."
    out = tmp_path / 'run'
    r = subprocess.run([PADIS, 'train', '--out', str(out)] + [x for k, v in GOOD.items() for x in (f'--{k}', str(v))],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert load_prior(out / 'prior.safetensors', image_size=32).config['patch_size'] == 8
