"Solvers with the bundled ct128 prior: quality above the baselines, falling residual, reproducibility."
import pytest, torch
from padis_nb.core import make_gen, psnr
from padis_nb.data import ct_dataset
from padis_nb.operators import make_operator
from padis_nb.training import load_prior
from padis_nb.solvers import run_solver

@pytest.fixture(scope='module')
def ct20():
    x = ct_dataset(1, 128, 'test')
    op = make_operator('ct', 128, views=20)
    return x, op, op.A(x), load_prior('ct128')

def test_padis_beats_fbp_and_residual_falls(ct20):
    x, op, y, prior = ct20
    frames = []
    r = run_solver(y, op, prior, 'ct', steps=30, gen=make_gen(0), progress=False, callback=frames.append)
    fbp = op.pinv(y).clamp(0, 1)
    assert psnr(r['x'].clamp(0, 1), x) > psnr(fbp, x) + 3.0
    assert frames[-1]['residual'] < 0.05

def test_same_seed_is_bit_identical_and_seeds_differ(ct20):
    x, op, y, prior = ct20
    a = run_solver(y, op, prior, 'ct', steps=4, gen=make_gen(7), progress=False)['x']
    b = run_solver(y, op, prior, 'ct', steps=4, gen=make_gen(7), progress=False)['x']
    c = run_solver(y, op, prior, 'ct', steps=4, gen=make_gen(8), progress=False)['x']
    assert torch.equal(a, b)
    assert not torch.equal(a, c)

@pytest.mark.parametrize('solver', ['ve-dps', 'langevin', 'pc', 'ddnm'])
def test_every_solver_runs_on_the_stitched_prior(ct20, solver):
    x, op, y, prior = ct20
    r = run_solver(y, op, prior, 'ct', solver=solver, steps=2, gen=make_gen(0), progress=False)
    assert r['x'].shape == x.shape and torch.isfinite(r['x']).all() and r['nfe'] >= 2

def test_max_batch_gives_the_same_result(ct20):
    x, op, y, prior = ct20
    a = run_solver(y, op, prior, 'ct', steps=3, gen=make_gen(1), progress=False)['x']
    b = run_solver(y, op, prior, 'ct', steps=3, gen=make_gen(1), progress=False, max_batch=5)['x']
    torch.testing.assert_close(a, b, rtol=0, atol=1e-5)

def test_ve_dps_defaults_are_stable_and_beat_fbp(ct20):
    "The paper's solver with its CT defaults: at least 5 dB above FBP, and no divergence in the last levels."
    from padis_nb.tasks import reconstruct
    x, op, y, prior = ct20
    frames = []
    xh, info = reconstruct('ct20', y, op, prior=prior, solver='ve-dps', gen=make_gen(0), callback=frames.append)
    assert psnr(xh.clamp(0, 1), x) > psnr(op.pinv(y).clamp(0, 1), x) + 5.0
    res = [f['residual'] for f in frames]
    tail = res[int(0.8 * len(res)):]
    assert all(b <= 1.1 * a for a, b in zip(tail, tail[1:])) and max(tail) <= 1.1 * tail[0], tail

def test_ve_dps_refuses_a_divergent_step(ct20):
    x, op, y, prior = ct20
    from padis_nb.core import PadisError
    with pytest.raises(PadisError, match=r'zeta must be in \(0, 2\)'):
        run_solver(y, op, prior, 'ct', solver='ve-dps', steps=2, zeta=3.0, progress=False)

def test_noise_aware_ddnm_beats_exact_data_consistency_on_low_dose_ct():
    "On 20-view CT with 1e4 photons per ray (simulated on a finer grid), the DDNM+ floor helps over exact consistency."
    from padis_nb.tasks import setting_operator, setting_images, simulate, reconstruct
    op = setting_operator('ct20_I1e4'); x = setting_images('ct20_I1e4', 1, 'val'); y = simulate('ct20_I1e4', x, op)
    prior = load_prior('ct128')
    exact, _ = reconstruct('ct20_I1e4', y, op, prior=prior, gen=make_gen(0), dc_floor=0.0)
    floor, _ = reconstruct('ct20_I1e4', y, op, prior=prior, gen=make_gen(0))
    assert psnr(floor.clamp(0, 1), x) > psnr(exact.clamp(0, 1), x)
