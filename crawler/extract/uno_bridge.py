"""The UNO side of crawler.extract.office: run by the system python3, which has LibreOffice's `uno` module
(Debian's python3-uno is built for /usr/bin/python3, not for the project's virtualenv).

    /usr/bin/python3 uno_bridge.py PIPE_NAME START_TIMEOUT_SECONDS

Connects to the soffice listening on the named pipe, prints {"ready": true}, then converts one file per request
line on stdin, {"source": path, "target": path, "filter": export filter name, "import_filter": import filter name
or null for LibreOffice's type detection}, answering one line on stdout,
{"ok": true} or {"error": "one line"}. When stdin closes (the extraction process ended, however it ended) it
asks soffice to quit, so no LibreOffice outlives its user. Only the standard library and uno: the project's
packages are not importable from this interpreter.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def properties(**values):
    """A UNO property sequence from keyword arguments."""
    result = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        result.append(item)
    return tuple(result)


def connect(pipe_name, timeout):
    """The Desktop of the soffice listening on `pipe_name`, waiting for it to come up."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def convert(desktop, source, target, filter_name, import_filter):
    # Hidden: no window even in a headless office; ReadOnly: never lock or touch the source. A named import
    # filter fails on a damaged file, where type detection would fall back to importing its bytes as text.
    load_properties = {"Hidden": True, "ReadOnly": True}
    if import_filter:
        load_properties["FilterName"] = import_filter
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, properties(**load_properties)
    )
    if document is None:  # LibreOffice found no filter that reads the file
        raise ValueError("not a document LibreOffice can open")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), properties(FilterName=filter_name, Overwrite=True))
    finally:
        document.close(True)


def one_line(exc):
    """The error in one line; a UNO exception (it has a Message) named by its type, which says most."""
    if hasattr(exc, "Message"):
        return f"{type(exc).__name__}: {exc.Message}".splitlines()[0]
    return (str(exc) or type(exc).__name__).splitlines()[0]


def reply(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main():
    pipe_name, start_timeout = sys.argv[1], float(sys.argv[2])
    desktop = connect(pipe_name, start_timeout)
    reply(ready=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            convert(desktop, request["source"], request["target"], request["filter"], request.get("import_filter"))
        except Exception as exc:  # noqa: BLE001 - every UNO error (IOException, IllegalArgumentException, …) means: not converted
            reply(error=one_line(exc))
        else:
            reply(ok=True)
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001, S110 - soffice already gone: nothing to stop
        pass


if __name__ == "__main__":
    main()
