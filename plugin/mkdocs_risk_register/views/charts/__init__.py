"""Build-time SVG charts: one drawing package, a module per chart.

- ``geometry``: what every chart shares (the SVG namespace and font, text widths, boxes, numbers);
- ``matrix``: the risk matrix (probability x impact), with its label placement;
- ``timeline``: the history's time charts (a risk's score over time, active risks per band).

Every chart has a ``<title>`` and a ``<desc>``, a text alternative on the page, text in the
page's colour (light and dark palettes), no overlapping labels and no JavaScript.
"""
