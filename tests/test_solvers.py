"Solvers with the bundled ct128 prior, called the plain way: quality above the baselines, falling residual, reproducibility."
import pytest, torch
from padis_nb.core import make_gen, psnr, PadisError
from padis_nb.data import ct_dataset
from padis_nb.tasks import make_operator, solver_settings, solver_schedule
from padis_nb.priors import load_prior
from padis_nb.diffusion import karras_sigmas
from padis_nb.stitch import StitchedDenoiser
from padis_nb.solvers import SOLVERS, ve_ddnm, ve_dps

@pytest.fixture(scope='module')
def ct20():
    x = ct_dataset(1, 128, 'test')
    op = make_operator('ct', 128, views=20)
    return x, op, op.A(x), load_prior('ct128')

def ddnm(y, op, prior, steps, seed, max_batch=None, callback=None):
    "CT's default: VE-DDNM on the stitched prior, `steps` Karras levels from 1.0 to 0.002, one generator for both."
    gen = make_gen(seed)
    D = StitchedDenoiser(prior, gen, max_batch=max_batch)
    return ve_ddnm(y, op, D, karras_sigmas(steps, 0.002, 1.0), gen=gen, cg_iters=5, eta=1.0, callback=callback)

def test_padis_beats_fbp_and_residual_falls(ct20):
    x, op, y, prior = ct20
    frames = []
    xh = ddnm(y, op, prior, 30, 0, callback=frames.append)
    fbp = op.pinv(y).clamp(0, 1)
    assert psnr(xh.clamp(0, 1), x) > psnr(fbp, x) + 3.0
    assert frames[-1]['residual'] < 0.05

def test_same_seed_is_bit_identical_and_seeds_differ(ct20):
    x, op, y, prior = ct20
    a, b, c = [ddnm(y, op, prior, 4, seed) for seed in (7, 7, 8)]
    assert torch.equal(a, b)
    assert not torch.equal(a, c)

@pytest.mark.parametrize('solver', list(SOLVERS))
def test_every_solver_runs_on_the_stitched_prior(ct20, solver):
    "Each solver with its CT settings (2 levels), through the plain call; the denoiser is called at least once per level."
    x, op, y, prior = ct20
    name, settings = solver_settings('ct20', solver)
    sigmas, kw = solver_schedule({**settings, 'steps': 2})
    gen, calls = make_gen(0), []
    D = StitchedDenoiser(prior, gen)
    xh = SOLVERS[name](y, op, lambda x, s: calls.append(s) or D(x, s), sigmas, gen=gen, **kw)
    assert xh.shape == x.shape and torch.isfinite(xh).all() and len(calls) >= 2

def test_max_batch_gives_the_same_result(ct20):
    x, op, y, prior = ct20
    torch.testing.assert_close(ddnm(y, op, prior, 3, 1), ddnm(y, op, prior, 3, 1, max_batch=5), rtol=0, atol=1e-5)

@pytest.mark.slow   # VE-DPS's default budget: 300 network calls on the stitched prior (the zeta bound below stays fast)
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
    with pytest.raises(PadisError, match=r'zeta must be in \(0, 2\)'):
        ve_dps(y, op, StitchedDenoiser(prior), karras_sigmas(2, 0.002, 0.5), zeta=3.0)

@pytest.mark.slow   # two full default solves (100 calls each) of low-dose CT
def test_noise_aware_ddnm_beats_exact_data_consistency_on_low_dose_ct():
    "On 20-view CT with 1e4 photons per ray (simulated on a finer grid), the DDNM+ floor helps over exact consistency."
    from padis_nb.tasks import setting_operator, setting_images, simulate, reconstruct
    op = setting_operator('ct20_I1e4'); x = setting_images('ct20_I1e4', 1, 'val'); y = simulate('ct20_I1e4', x, op)
    prior = load_prior('ct128')
    exact, _ = reconstruct('ct20_I1e4', y, op, prior=prior, solver='ddnm', gen=make_gen(0), dc_floor=0.0)
    floor, _ = reconstruct('ct20_I1e4', y, op, prior=prior, solver='ddnm', gen=make_gen(0))
    assert psnr(floor.clamp(0, 1), x) > psnr(exact.clamp(0, 1), x)
