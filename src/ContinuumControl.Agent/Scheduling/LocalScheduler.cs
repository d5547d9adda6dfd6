using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Agent.Scheduling;

/// <summary>What the local scheduler has to work with.</summary>
/// <param name="Slots">Workloads that run at once.</param>
/// <param name="MemoryBytes">Memory offered to workloads: running and suspended ones' limits must fit in it.</param>
/// <param name="NodeName">For the reasons it gives.</param>
/// <param name="OffloadAfter">How long a workload may wait queued before the node asks to have it moved; null: never.</param>
public sealed record LocalSchedulerSettings(int Slots, long MemoryBytes, string NodeName, TimeSpan? OffloadAfter);

/// <summary>
/// The node-level scheduler's decisions, and nothing else: no threads, no Wasmtime, no clock but the given one. Each
/// event (a workload arrives, ends, is pinned by a migration; the energy store runs low) returns what must happen
/// now, in order. Rules:
/// <list type="bullet">
/// <item>A workload runs when a slot is free and its memory limit fits beside those of running and suspended ones.</item>
/// <item>Waiting workloads are served by priority, suspended before queued of the same priority, then by arrival; one
/// that does not fit in memory lets a later one that fits go first (it gets offloaded instead of blocking the node).</item>
/// <item>When all slots are busy, the best waiting workload that fits preempts the lowest-priority running one (the
/// most recently started among equals) if it strictly outranks it: that one is suspended at a safe point.</item>
/// <item>Workloads restored here (<see cref="Admit"/>) run at once, even beyond the slots.</item>
/// <item>While held (<see cref="Hold"/>), every running workload not pinned by a migration is suspended and nothing
/// starts or resumes until <see cref="Release"/>.</item>
/// </list>
/// </summary>
public sealed class LocalScheduler(LocalSchedulerSettings settings, TimeProvider time)
{
    private readonly Dictionary<Guid, Entry> _entries = [];
    private long _sequence;
    private string? _hold;

    public LocalSchedulerSettings Settings { get; } = settings;

    /// <summary>Why the node holds all work, or null.</summary>
    public string? HoldReason => _hold;

    public int Running => Count(LocalWorkloadState.Running);

    public int Queued => Count(LocalWorkloadState.Queued);

    public int Suspended => Count(LocalWorkloadState.Suspended);

    public LocalWorkloadState? StateOf(Guid key) => _entries.TryGetValue(key, out var entry) ? entry.State : null;

    /// <summary>A fresh workload arrives: it runs now, preempts a lower-priority one, or waits queued.</summary>
    public IReadOnlyList<SchedulerDecision> Submit(Guid key, WorkloadPriority priority, long memoryBytes)
    {
        var entry = Add(key, priority, memoryBytes, LocalWorkloadState.Queued);
        var decisions = Rebalance();
        if (entry.State == LocalWorkloadState.Queued)
        {
            decisions.Add(new QueueDecision(key, $"queued on {Settings.NodeName}: {Blocker(entry)}"));
        }
        return decisions;
    }

    /// <summary>A workload restored from a checkpoint (migration target, recovery): it takes a slot at once, even beyond the slots.</summary>
    public IReadOnlyList<SchedulerDecision> Admit(Guid key, WorkloadPriority priority, long memoryBytes)
    {
        var entry = Add(key, priority, memoryBytes, LocalWorkloadState.Running);
        entry.Started = ++_sequence;
        entry.EverRan = true;
        return Rebalance();
    }

    /// <summary>The workload ended, was stopped, discarded or superseded, in whatever state: its slot and memory go to others.</summary>
    public IReadOnlyList<SchedulerDecision> Remove(Guid key) => _entries.Remove(key) ? Rebalance() : [];

    /// <summary>
    /// Keeps a running workload from being suspended while a migration checkpoints it. Refuses (with the reason) one
    /// that is queued or suspended: only a running workload can be captured for a migration.
    /// </summary>
    public bool TryPin(Guid key, out string? refusal)
    {
        refusal = null;
        if (!_entries.TryGetValue(key, out var entry))
        {
            refusal = $"the workload is not scheduled on {Settings.NodeName}";
            return false;
        }
        switch (entry.State)
        {
            case LocalWorkloadState.Queued:
                refusal = $"the workload is queued on {Settings.NodeName} and has not run yet ({Blocker(entry)}); only a running workload can be checkpointed for a migration: place it again instead";
                return false;
            case LocalWorkloadState.Suspended:
                refusal = $"the workload is suspended on {Settings.NodeName} ({entry.SuspendReason}); only a running workload can be checkpointed for a migration: try again once it runs";
                return false;
        }
        entry.Pinned = true;
        return true;
    }

    /// <summary>The migration is over without a move: the workload may be preempted again (and is, if the node is held).</summary>
    public IReadOnlyList<SchedulerDecision> Unpin(Guid key)
    {
        if (!_entries.TryGetValue(key, out var entry) || !entry.Pinned)
        {
            return [];
        }
        entry.Pinned = false;
        return Rebalance();
    }

    /// <summary>Suspends every running workload not pinned by a migration, and starts nothing until <see cref="Release"/>.</summary>
    public IReadOnlyList<SchedulerDecision> Hold(string reason)
    {
        _hold = reason;
        return Rebalance();
    }

    public IReadOnlyList<SchedulerDecision> Release()
    {
        if (_hold is null)
        {
            return [];
        }
        _hold = null;
        return Rebalance();
    }

    /// <summary>Queued workloads that have waited at least the offload delay, each returned once.</summary>
    public IReadOnlyList<OffloadDecision> DueOffloads()
    {
        if (Settings.OffloadAfter is not { } after)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var due = new List<OffloadDecision>();
        foreach (var entry in Waiting().Where(e => e.State == LocalWorkloadState.Queued && !e.OffloadRequested && now - e.QueuedSince >= after))
        {
            entry.OffloadRequested = true;
            due.Add(new OffloadDecision(entry.Key, $"queued {(now - entry.QueuedSince).TotalSeconds:0} s on {Settings.NodeName}: {Blocker(entry)}"));
        }
        return due;
    }

    private Entry Add(Guid key, WorkloadPriority priority, long memoryBytes, LocalWorkloadState state)
    {
        if (_entries.ContainsKey(key))
        {
            throw new ArgumentException($"workload key {key} is already scheduled", nameof(key));
        }
        var entry = new Entry(key, priority, Math.Max(0, memoryBytes), ++_sequence, time.GetUtcNow()) { State = state };
        _entries.Add(key, entry);
        return entry;
    }

    private List<SchedulerDecision> Rebalance()
    {
        var decisions = new List<SchedulerDecision>();
        if (_hold is not null)
        {
            foreach (var entry in _entries.Values.Where(e => e.State == LocalWorkloadState.Running && !e.Pinned).OrderBy(e => e.Started))
            {
                Suspend(entry, _hold, decisions);
            }
            return decisions;
        }
        // Terminates: every round either fills a slot or raises the lowest priority among running workloads.
        while (true)
        {
            var free = Settings.MemoryBytes - MemoryHeld();
            var candidate = Waiting().FirstOrDefault(e => e.State == LocalWorkloadState.Suspended || e.MemoryBytes <= free);
            if (candidate is null)
            {
                break;
            }
            if (Running < Settings.Slots)
            {
                Run(candidate, decisions);
                continue;
            }
            var victim = _entries.Values
                .Where(e => e.State == LocalWorkloadState.Running && !e.Pinned)
                .OrderBy(e => e.Priority)
                .ThenByDescending(e => e.Started)
                .FirstOrDefault();
            if (victim is null || victim.Priority >= candidate.Priority)
            {
                break;
            }
            Suspend(victim, $"preempted at a safe point by a {candidate.Priority} workload on {Settings.NodeName} ({Plural(Settings.Slots, "slot")}); it resumes here when a slot frees", decisions);
            Run(candidate, decisions);
        }
        return decisions;
    }

    private void Run(Entry entry, List<SchedulerDecision> decisions)
    {
        decisions.Add(entry.EverRan ? new ResumeDecision(entry.Key) : new StartDecision(entry.Key));
        entry.State = LocalWorkloadState.Running;
        entry.Started = ++_sequence;
        entry.EverRan = true;
        entry.SuspendReason = null;
    }

    private static void Suspend(Entry entry, string reason, List<SchedulerDecision> decisions)
    {
        entry.State = LocalWorkloadState.Suspended;
        entry.SuspendReason = reason;
        decisions.Add(new SuspendDecision(entry.Key, reason));
    }

    /// <summary>Queued and suspended workloads in the order they get a slot.</summary>
    private IEnumerable<Entry> Waiting() => _entries.Values
        .Where(e => e.State != LocalWorkloadState.Running)
        .OrderByDescending(e => e.Priority)
        .ThenBy(e => e.State == LocalWorkloadState.Suspended ? 0 : 1)
        .ThenBy(e => e.Arrival);

    private long MemoryHeld() => _entries.Values.Where(e => e.State != LocalWorkloadState.Queued).Sum(e => e.MemoryBytes);

    private int Count(LocalWorkloadState state) => _entries.Values.Count(e => e.State == state);

    /// <summary>What keeps a queued workload from running, in words for the operator.</summary>
    private string Blocker(Entry entry)
    {
        if (_hold is not null)
        {
            return _hold;
        }
        if (entry.MemoryBytes > Settings.MemoryBytes)
        {
            return $"needs {MiB(entry.MemoryBytes)} MiB of memory, more than the {MiB(Settings.MemoryBytes)} MiB this node offers";
        }
        var free = Settings.MemoryBytes - MemoryHeld();
        if (Running < Settings.Slots && entry.MemoryBytes > free)
        {
            return $"needs {MiB(entry.MemoryBytes)} MiB of memory, {MiB(Math.Max(0, free))} MiB of {MiB(Settings.MemoryBytes)} MiB free";
        }
        var busy = _entries.Values.Where(e => e.State == LocalWorkloadState.Running).Select(e => e.Priority).Distinct().OrderDescending();
        var ahead = Waiting().TakeWhile(e => e != entry).Count();
        return $"{Plural(Running, "slot")} busy with {string.Join('/', busy)} workloads"
            + (ahead > 0 ? $", {ahead} waiting ahead of it" : "")
            + (entry.MemoryBytes > free ? $", and it needs {MiB(entry.MemoryBytes)} MiB of memory with {MiB(Math.Max(0, free))} MiB free" : "");
    }

    private static long MiB(long bytes) => bytes / (1024 * 1024);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private sealed class Entry(Guid key, WorkloadPriority priority, long memoryBytes, long arrival, DateTimeOffset queuedSince)
    {
        public Guid Key { get; } = key;
        public WorkloadPriority Priority { get; } = priority;
        public long MemoryBytes { get; } = memoryBytes;
        public long Arrival { get; } = arrival;
        public DateTimeOffset QueuedSince { get; } = queuedSince;
        public LocalWorkloadState State { get; set; }

        /// <summary>Sequence number of the moment it last began running (start or resume).</summary>
        public long Started { get; set; }

        public bool EverRan { get; set; }
        public bool Pinned { get; set; }
        public bool OffloadRequested { get; set; }
        public string? SuspendReason { get; set; }
    }
}
