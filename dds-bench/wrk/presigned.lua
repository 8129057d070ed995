-- wrk script of the `emulator` benchmark: sends requests signed ahead of the run, each once
-- (the emulator refuses a nonce it has seen, and signature checks stay on).
--
-- Arguments: <requests file> <wrk threads>. The file, written by the benchmark, holds one
-- request template and, per request, its nonce and signature:
--   line 1: "<a> <b> <c>", the byte lengths of the template's three parts;
--   then the parts: the request text before the nonce, between the nonce and the signature,
--   and after the signature, followed by a newline;
--   then one "<nonce> <signature>" line per request.
-- Thread k of n sends requests k, k+n, k+2n, ... Requests are assembled in init, before wrk
-- starts its clock, so the timed loop only hands out finished strings.

local threads = {}
local next_id = 0

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local requests = {}
local position = 0
exhausted = false

function init(args)
    local file = assert(io.open(args[1], "rb"))
    local count = tonumber(args[2])
    local a, b, c = file:read("*l"):match("^(%d+) (%d+) (%d+)$")
    local before = file:read(tonumber(a))
    local between = file:read(tonumber(b))
    local after = file:read(tonumber(c))
    file:read("*l")
    local index = 0
    for line in file:lines() do
        if index % count == id then
            local nonce, signature = line:match("^(%S+) (%S+)$")
            requests[#requests + 1] = before .. nonce .. between .. signature .. after
        end
        index = index + 1
    end
    file:close()
end

function request()
    position = position + 1
    local text = requests[position]
    if text == nil then
        -- Out of requests: stop this thread rather than send a nonce twice. The benchmark
        -- reports it, since wrk still divides by the whole duration.
        exhausted = true
        wrk.thread:stop()
        return requests[#requests]
    end
    return text
end

function done(summary, latency, requests)
    for _, thread in ipairs(threads) do
        if thread:get("exhausted") then
            io.write("dds-bench: exhausted\n")
        end
    end
    io.write(string.format("dds-bench: p50_us %d p99_us %d\n",
        latency:percentile(50), latency:percentile(99)))
end
