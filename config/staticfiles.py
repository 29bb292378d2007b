"""Static files as a browser should get them: fingerprinted, precompressed, cached for good.

`collectstatic` names each file after a hash of its content (`js/live.3f9c1e2a7b4d.js`),
writes a manifest that `{% static %}` reads, and a `.gz` beside each text file (and a
`.br` where the Brotli package is installed).
A new release therefore has new URLs, so the files can be cached for a year without a
browser ever running stale JavaScript after an upgrade (issue 18).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class FingerprintedStaticFiles(CompressedManifestStaticFilesStorage):
    # The page modules import each other (`from "./live.js"`): rewrite those imports to
    # the fingerprinted names too, or the imported module would be the one file left
    # under a name that does not change between releases.
    support_js_module_import_aggregation = True
