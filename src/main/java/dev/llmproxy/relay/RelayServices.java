package dev.llmproxy.relay;

import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.usage.UsageLedger;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The long-lived collaborators every exchange uses, built once by the composition root.
 *
 * @param snapshots current config snapshot
 * @param clients upstream connection pools
 * @param routingState rotation and cooldown state shared by all requests
 * @param scheduler one small timer thread for retry waits and keep-alives (never does I/O itself)
 * @param usage what each client asked for and the tokens it used
 */
public record RelayServices(SnapshotHolder snapshots, UpstreamClients clients, RoutingState routingState,
    ScheduledExecutorService scheduler, UsageLedger usage) {}
