"""The files of a stand-in build of the Conduit Frontend (shaped like `npm run build`'s output)."""
INDEX = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Conduit</title>
    <meta name="description" content="A place to share your knowledge.">
    <script type="module" crossorigin src="/assets/index-3f2a1b9c.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-77aa01ff.css">
  </head>
  <body><div id="app"></div></body>
</html>
"""
SCRIPT = "export const conduit = 1;\n" + "console.log('a long line so that compression is worth it');\n" * 60
AVATAR = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16"/></svg>\n'
