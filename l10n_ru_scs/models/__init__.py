from . import template_ru_scs
