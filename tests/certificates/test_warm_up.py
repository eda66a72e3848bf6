"""The renderer is warmed up in the worker's main process, so pool processes fork with it warm."""

from celery.signals import worker_init

from apps.certificates import rendering, tasks

from .conftest import pdf_text


def test_warm_up_renders_one_vietnamese_certificate_once_per_process():
    rendering.warm_up.cache_clear()
    pdf = rendering.warm_up()
    pages, text = pdf_text(pdf)
    assert pages == 1
    assert "GIẤY CHỨNG NHẬN" in text and "Trà hoa vàng Ba Chẽ" in text and "Hạng 4 sao" in text
    assert rendering.warm_up() is pdf
    assert rendering.warm_up.cache_info().misses == 1


def test_worker_start_warms_the_renderer_up_before_forking():
    assert tasks.warm_up_renderer in [ref() for _key, ref in worker_init.receivers]
