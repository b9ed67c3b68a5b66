"""Calls a LibreTranslate server the way its users do: with the `libretranslatepy` client
(PyPI) and, for what that client lacks (batches), Python's own urllib with JSON.

    python libretranslate_client.py URL JOBS_JSON

JOBS_JSON maps names to calls: {"call": "translate", "q": …, "source": …, "target": …,
"api_key": …}, {"call": "detect", "q": …}, {"call": "languages"}, {"call": "batch", "q": […],
"source": …, "target": …}. Prints one JSON object: per name {"ok": result} or, for an HTTP
error, {"status": code, "body": the JSON error body}. The caller judges the results.
"""

import json
import sys
import urllib.error
import urllib.request

from libretranslatepy import LibreTranslateAPI


def batch(url, job):
    body = {k: job[k] for k in ("q", "source", "target")}
    request = urllib.request.Request(
        url.rstrip("/") + "/translate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


def main():
    url, jobs = sys.argv[1], json.loads(sys.argv[2])
    out = {}
    for name, job in jobs.items():
        client = LibreTranslateAPI(url, api_key=job.get("api_key"))
        call = job["call"]
        try:
            if call == "translate":
                result = client.translate(job["q"], job["source"], job["target"], timeout=60)
            elif call == "detect":
                result = client.detect(job["q"], timeout=60)
            elif call == "languages":
                result = client.languages(timeout=60)
            elif call == "batch":
                result = batch(url, job)
            else:
                raise ValueError(f"unknown call {call}")
            out[name] = {"ok": result}
        except urllib.error.HTTPError as e:
            out[name] = {"status": e.code, "body": json.loads(e.read().decode())}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
