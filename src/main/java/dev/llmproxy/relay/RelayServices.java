package dev.llmproxy.relay;

import dev.llmproxy.buffers.LargeBufferBudget;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.usage.UsageRecorder;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The long-lived collaborators every exchange uses, built once by the composition root.
 *
 * @param snapshots current config snapshot
 * @param clients upstream connection pools
 * @param routingState rotation and cooldown state shared by all requests
 * @param scheduler one small timer thread for retry waits and keep-alives (never does I/O itself)
 * @param usage where each finished request is recorded (live counters and the durable store)
 * @param metrics what requests, attempts, tokens and streams are reported to
 * @param limits the limits of client keys and users: asked before any upstream call, told the tokens after
 * @param buffers the process-wide budget every exchange's large buffers reserve from
 */
public record RelayServices(SnapshotHolder snapshots, UpstreamClients clients, RoutingState routingState,
    ScheduledExecutorService scheduler, UsageRecorder usage, RelayMetrics metrics, ClientLimits limits,
    LargeBufferBudget buffers) {}
