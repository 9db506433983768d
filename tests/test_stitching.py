"Properties of the stitched PaDIS denoiser over many geometries (hypothesis)."
import torch, pytest
from hypothesis import given, settings, strategies as st
from padis_nb.stitch import StitchedDenoiser, PointwiseDenoiser, grid_patches, paste_patches
from padis_nb.patches import PatchGeometry, position_channels, pad_images
from padis_nb.core import PadisError

geos = st.tuples(st.integers(8, 96), st.integers(2, 40)).filter(lambda t: t[1] <= t[0])

@settings(max_examples=40, deadline=None)
@given(geos, st.integers(0, 2**31 - 1))
def test_pointwise_stitched_equals_whole_for_any_geometry(nP, seed):
    N, P = nP
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(2, 1, N, N, generator=g)
    D = StitchedDenoiser(PointwiseDenoiser(N, P), g)
    for _ in range(3):
        torch.testing.assert_close(D(x, 0.3), x / 1.09, rtol=0, atol=1e-6)

@settings(max_examples=40, deadline=None)
@given(geos, st.integers(0, 2**31 - 1))
def test_every_interior_pixel_covered_once_and_positions_match(nP, seed):
    N, P = nP
    geo = PatchGeometry(N, P)
    g = torch.Generator().manual_seed(seed)
    for _ in range(3):
        a, b = (torch.randint(0, geo.pad, (2,), generator=g).tolist() if geo.pad else (0, 0))
        counts = torch.zeros(1, 1, geo.canvas, geo.canvas)
        ones = torch.ones(geo.grid**2, 1, P, P)
        covered = paste_patches(ones, counts, geo, a, b)
        assert (covered[..., geo.pad:geo.pad + N, geo.pad:geo.pad + N] == 1).all()
        pos = grid_patches(position_channels(geo.canvas)[None], geo, a, b)
        back = paste_patches(pos, position_channels(geo.canvas)[None] * 0, geo, a, b)
        torch.testing.assert_close(back[..., geo.pad:geo.pad + N, geo.pad:geo.pad + N],
                                   position_channels(geo.canvas)[None, :, geo.pad:geo.pad + N, geo.pad:geo.pad + N])

def test_identity_patch_network_returns_input(gen):
    x = torch.rand(3, 3, 64, 64, generator=gen)
    D = StitchedDenoiser(PointwiseDenoiser(64, 16, channels=3, fn=lambda x, s: x), gen, max_batch=7)
    torch.testing.assert_close(D(x, 1.0), x, rtol=0, atol=0)

def test_one_noise_level_per_image_and_bad_max_batch():
    "A (B,) sigma denoises image b at its own level; a sigma of the wrong length or a max_batch below 1 is refused."
    x = torch.rand(2, 1, 64, 64)
    D = StitchedDenoiser(PointwiseDenoiser(64, 16), torch.Generator().manual_seed(0))
    torch.testing.assert_close(D(x, torch.tensor([0.5, 2.0])), x / torch.tensor([1.25, 5.0]).view(2, 1, 1, 1), rtol=0, atol=1e-6)
    with pytest.raises(PadisError, match='2 noise levels for 3 images'): D(torch.rand(3, 1, 64, 64), torch.tensor([0.5, 2.0]))
    with pytest.raises(PadisError, match='max_batch must be at least 1'): StitchedDenoiser(PointwiseDenoiser(64, 16), max_batch=0)

def test_trained_prior_geometry_checks():
    from padis_nb.priors import load_prior
    m = load_prior('ct128')
    D = StitchedDenoiser(m, torch.Generator().manual_seed(0))
    with pytest.raises(PadisError, match='128x128'): D(torch.rand(1, 1, 96, 96), 0.5)
    with pytest.raises(PadisError, match='channel'): D(torch.rand(1, 3, 128, 128), 0.5)
    with pytest.raises(PadisError, match='stride'): StitchedDenoiser(m, patch_size=26)
    with pytest.raises(PadisError, match='NaN'): D(torch.full((1, 1, 128, 128), float('nan')), 0.5)

def test_fresh_offset_each_call_from_callers_generator():
    D1 = StitchedDenoiser(PointwiseDenoiser(), torch.Generator().manual_seed(5))
    D2 = StitchedDenoiser(PointwiseDenoiser(), torch.Generator().manual_seed(5))
    x = torch.rand(1, 1, 128, 128)
    offs1, offs2 = [], []
    for _ in range(20): D1(x, 1.0); offs1.append(D1.last_offset); D2(x, 1.0); offs2.append(D2.last_offset)
    assert offs1 == offs2 and len(set(offs1)) > 10

def test_memory_budget_is_kept_when_measured():
    "A 512x512 stitched call under a 40 MB budget: the cap chunks the patches and the measured peak stays under it."
    from padis_nb.probes import stitch_timing
    from padis_nb.memory import in_fresh_process
    r = in_fresh_process(stitch_timing, size=512, patch_size=24, reps=1, loop=False, max_memory_mb=40, threads=1)
    assert 1 <= r['max_batch'] < r['patches']
    assert 0 < r['peak_mb'] <= 40, r
