using System.Threading.Channels;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Configuration;

namespace ContinuumControl.Server.Migrations;

/// <summary>
/// Drives one migration through its phases. Agents' reports arrive through <see cref="Deliver"/> and are handled one at
/// a time, in order; the hub call that delivers a report waits until it is handled, so a target's output that follows
/// its "Restored" report is only processed after the new placement generation is committed.
/// </summary>
public sealed class MigrationRun(Migration migration, Workload workload, string moduleHash, MigrationSteps steps, MigrationOptions options)
{
    private readonly Channel<(Guid Node, MigrationReport Report, TaskCompletionSource Handled)> _reports = Channel.CreateUnbounded<(Guid, MigrationReport, TaskCompletionSource)>();
    private Task _persisted = Task.CompletedTask;
    private volatile bool _sourceLost;
    private volatile bool _checkpointed;
    private readonly MigrationTimeline _timeline = new();

    public Migration Migration { get; } = migration;

    /// <summary>Hands an agent's report to the run and waits until it was handled.</summary>
    public Task Deliver(Guid node, MigrationReport report)
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reports.Writer.TryWrite((node, report, handled)))
        {
            handled.TrySetResult();
        }
        return handled.Task;
    }

    /// <summary>
    /// A node the migration depends on went away: fail the phase that waits for it. Once the source's final checkpoint
    /// is in hand the source is no longer needed: the target carries on and the commit can still be made.
    /// </summary>
    public void NodeLost(Guid node)
    {
        if (node == Migration.SourceNodeId)
        {
            _sourceLost = true;
            if (_checkpointed)
            {
                return;
            }
        }
        if (node == Migration.SourceNodeId || node == Migration.TargetNodeId)
        {
            var which = node == Migration.TargetNodeId ? "target" : "source";
            Deliver(node, new MigrationReport(Migration.Id, MigrationReportKind.Failed, null, 0, steps.Now, $"the {which} node disconnected during {Migration.Phase}"));
        }
    }

    public async Task ExecuteAsync()
    {
        steps.Telemetry.Started();
        try
        {
            Record(MigrationPhase.Preparing);
            steps.Grants.GrantMigration(Migration.Id, Migration.TargetNodeId, moduleHash);
            await steps.Agents.ToNode(Migration.TargetNodeId, c => c.PrepareMigration(new PrepareMigrationCommand(Migration.Id, workload.Id, moduleHash)));
            await ExpectAsync(Migration.TargetNodeId, MigrationReportKind.Prepared, options.PrepareTimeoutSeconds);

            if (Migration.PreCopy)
            {
                var preCopyStart = steps.Now;
                await steps.Agents.ToNode(Migration.SourceNodeId, c => c.CheckpointWorkload(new CheckpointWorkloadCommand(Migration.Id, workload.Id, Migration.SourceGeneration, Pause: false)));
                var preCopy = await ExpectAsync(Migration.SourceNodeId, MigrationReportKind.PreCopied, options.CheckpointTimeoutSeconds);
                Record(null, preCopy.Bytes);
                GrantChunks(preCopy);
                await steps.Agents.ToNode(Migration.TargetNodeId, c => c.PrefetchChunks(new PrefetchChunksCommand(Migration.Id, preCopy.ManifestJson!, workload.MemoryLimitBytes)));
                await ExpectAsync(Migration.TargetNodeId, MigrationReportKind.Prefetched, options.TransferTimeoutSeconds);
                _timeline.PreCopied(preCopyStart, steps.Now);
            }

            Record(MigrationPhase.Checkpointing);
            await steps.Agents.ToNode(Migration.SourceNodeId, c => c.CheckpointWorkload(new CheckpointWorkloadCommand(Migration.Id, workload.Id, Migration.SourceGeneration, Pause: true)));
            var checkpoint = await ExpectAsync(Migration.SourceNodeId, MigrationReportKind.Checkpointed, options.CheckpointTimeoutSeconds);
            _checkpointed = true;
            _timeline.Moments(checkpoint.Steps);
            _timeline.Moment(MigrationStepNames.ServerCheckpointed, steps.Now);
            var inline = MigrationSteps.ReadInlineChunks(checkpoint);

            // The workload is paused from here on: the restore command goes out first, the bookkeeping after it.
            var transferring = steps.Now;
            Migration.Enter(MigrationPhase.Transferring, transferring);
            var start = steps.Agents.StartCommand(workload, moduleHash, Migration.TargetGeneration);
            GrantChunks(checkpoint);
            await steps.Agents.ToNode(Migration.TargetNodeId, c => c.RestoreWorkload(new RestoreWorkloadCommand(Migration.Id, start, checkpoint.ManifestJson!, checkpoint.InlineChunks)));
            _timeline.Moment(MigrationStepNames.ServerRestoreSent, steps.Now);
            // The source sent these with its report instead of uploading them: kept like an upload (on disk before the commit).
            await steps.StoreInlineChunksAsync(inline);
            Record(MigrationPhase.Transferring, checkpoint.Bytes, transferring);
            await ExpectAsync(Migration.TargetNodeId, MigrationReportKind.Fetched, options.TransferTimeoutSeconds);

            // The target restores without waiting for the server; this only records when the transfer ended.
            Record(MigrationPhase.Restoring);
            await ExpectAsync(Migration.TargetNodeId, MigrationReportKind.Restored, options.RestoreTimeoutSeconds,
                async restored =>
                {
                    _timeline.Moments(restored.Steps);
                    await PersistedAsync();
                    await steps.EnsureChunksStoredAsync(checkpoint.ManifestJson!);
                    await steps.CommitAsync(Migration, restored.At - checkpoint.At, _timeline);
                });
        }
        catch (MigrationAbortedException ex)
        {
            await PersistedAsync();
            await steps.AbortAsync(Migration, ex.Message, _sourceLost, ex.ReportedBy == Migration.SourceNodeId, _timeline);
        }
        catch (AgentUnreachableException ex)
        {
            await PersistedAsync();
            await steps.AbortAsync(Migration, ex.Message, _sourceLost, false, _timeline);
        }
        catch (Exception ex)
        {
            await PersistedAsync();
            await steps.AbortAsync(Migration, $"the control plane failed during {Migration.Phase}: {ex.Message}", _sourceLost, false, _timeline);
        }
        finally
        {
            steps.Telemetry.Stopped();
            steps.Grants.EndMigration(Migration.Id);
            _reports.Writer.TryComplete();
            // Reports that arrive late (e.g. a target's Restored after an abort) are acknowledged and ignored.
            while (_reports.Reader.TryRead(out var late))
            {
                late.Handled.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Records a phase change (and bytes moved) off the critical path: the run's in-memory migration changes at once,
    /// the database row and the live push follow in order in the background, stamped with the time the phase began.
    /// The commit and the abort wait for these writes first.
    /// </summary>
    private void Record(MigrationPhase? phase, long addBytes = 0, DateTimeOffset? at = null)
    {
        var when = at ?? steps.Now;
        if (phase is { } p)
        {
            Migration.Enter(p, when);
        }
        _timeline.Moved(Migration.Phase, addBytes);
        var previous = _persisted;
        _persisted = Task.Run(async () =>
        {
            await previous;
            try
            {
                await steps.EnterAsync(Migration, phase ?? MigrationPhase.Requested, when, addBytes);
            }
            catch (Exception ex)
            {
                steps.PersistFailed(Migration, ex);
            }
        });
    }

    private async Task PersistedAsync()
    {
        try
        {
            await _persisted;
        }
        catch (Exception)
        {
            // Logged where it failed; the commit or abort writes the final state regardless.
        }
    }

    /// <summary>The target may fetch the chunks of the source's manifest (and no others: see NodeFetchGrants).</summary>
    private void GrantChunks(MigrationReport report)
    {
        try
        {
            steps.Grants.GrantChunks(Migration.Id, report.ManifestJson ?? throw new MigrationAbortedException("the source reported a checkpoint without its manifest"));
        }
        catch (Runtime.Checkpoints.CheckpointRejectedException ex)
        {
            throw new MigrationAbortedException($"the source's manifest is not a checkpoint manifest ({ex.Message})");
        }
    }

    /// <summary>Waits for <paramref name="kind"/> from <paramref name="node"/>; other reports are acknowledged and skipped.</summary>
    private async Task<MigrationReport> ExpectAsync(Guid node, MigrationReportKind kind, int timeoutSeconds, Func<MigrationReport, Task>? handle = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds), steps.Time);
        var who = node == Migration.TargetNodeId ? "target" : "source";
        while (true)
        {
            (Guid Node, MigrationReport Report, TaskCompletionSource Handled) item;
            try
            {
                item = await _reports.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new MigrationAbortedException($"the {who} node did not answer within {timeoutSeconds} s during {Migration.Phase} (waiting for {kind})");
            }
            try
            {
                if (item.Report.Kind == MigrationReportKind.Failed && (item.Node == Migration.SourceNodeId || item.Node == Migration.TargetNodeId))
                {
                    var by = item.Node == Migration.SourceNodeId ? "source" : "target";
                    throw new MigrationAbortedException(item.Report.Reason ?? $"the {by} node failed during {Migration.Phase}", item.Node);
                }
                if (item.Node == node && item.Report.Kind == kind)
                {
                    if (handle is not null)
                    {
                        await handle(item.Report);
                    }
                    return item.Report;
                }
            }
            finally
            {
                item.Handled.TrySetResult();
            }
        }
    }
}
