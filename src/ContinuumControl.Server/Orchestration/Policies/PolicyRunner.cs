using System.Collections.Concurrent;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Orchestration;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>
/// Runs the cluster policies: as Hangfire recurring jobs on their schedules, at once when something happens that
/// they react to (a node lost, an offload request), and on an operator's "run now". A paused or disabled policy does
/// nothing; one policy never runs twice at the same time.
/// </summary>
public sealed class PolicyRunner(
    IEnumerable<IClusterPolicy> policies,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    OrchestrationOptions options,
    SchedulerOptions schedulerOptions,
    ClusterEvents events,
    TimeProvider time,
    ILogger<PolicyRunner> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _again = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IClusterPolicy> _policies = policies.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static string JobId(string name) => $"policy-{name.ToLowerInvariant()}";

    /// <summary>Registers (or removes, when disabled) each policy's recurring job.</summary>
    public void Schedule(IRecurringJobManager recurring)
    {
        foreach (var (name, policy) in options.Policies.All)
        {
            if (policy.Enabled)
            {
                recurring.AddOrUpdate<PolicyRunner>(JobId(name), r => r.RunAsync(name), policy.Schedule);
            }
            else
            {
                recurring.RemoveIfExists(JobId(name));
            }
        }
    }

    /// <summary>An operator's "run now": refused with the reason when the policy is switched off or paused.</summary>
    public async Task<PolicyDto> RunNowAsync(string name, CancellationToken cancellationToken)
    {
        var policy = Find(name);
        var dto = (await ListAsync(cancellationToken)).First(p => p.Name == policy.Name);
        if (!dto.Enabled)
        {
            throw new RefusalException(StatusCodes.Status409Conflict, "Policy disabled", $"{policy.Name} is switched off in appsettings (Orchestration:Policies:{policy.Name}:Enabled).");
        }
        if (dto.Paused)
        {
            throw new RefusalException(StatusCodes.Status409Conflict, "Policy paused", $"{policy.Name} is paused; resume it with POST /api/policies/{policy.Name}/resume first.");
        }
        TriggerNow(policy.Name);
        return dto;
    }

    /// <summary>
    /// Runs the policy now, in the background. Not through Hangfire's queue: a lost node's work must not wait for a
    /// worker's next poll of the job storage. (The scheduled runs are Hangfire recurring jobs.)
    /// </summary>
    public void TriggerNow(string name) => _ = Task.Run(async () =>
    {
        try
        {
            await RunAsync(name);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Policy {Policy} could not run", name);
        }
    });

    /// <summary>One round of the policy; skipped when disabled, paused or already running.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(string name)
    {
        var policy = Find(name);
        if (options.Policies.Find(policy.Name) is not { Enabled: true } || await IsPausedAsync(policy.Name))
        {
            return;
        }
        var gate = _running.GetOrAdd(policy.Name, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0))
        {
            // A run is under way; it goes round once more when done, so this request's news is not lost.
            _again[policy.Name] = true;
            return;
        }
        try
        {
            await RunRoundsAsync(policy);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RunRoundsAsync(IClusterPolicy policy)
    {
        do
        {
            string result;
            try
            {
                result = await policy.RunAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Policy {Policy} failed", policy.Name);
                result = $"failed: {ex.Message}";
            }
            await RecordAsync(policy.Name, s =>
            {
                s.LastRunAt = time.GetUtcNow();
                s.LastResult = result.Length > 2000 ? result[..2000] : result;
            });
        }
        while (_again.TryRemove(policy.Name, out _));
    }

    public async Task<IReadOnlyList<PolicyDto>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var states = await db.Policies.AsNoTracking().ToDictionaryAsync(p => p.Name, StringComparer.OrdinalIgnoreCase, cancellationToken);
        return options.Policies.All.Select(p => Dto(p.Name, p.Options, states.GetValueOrDefault(p.Name))).ToList();
    }

    public async Task<PolicyDto> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        var policy = Find(name);
        return await RecordAsync(policy.Name, s => s.Paused = paused);
    }

    /// <summary>The policy of that name; a 404 that lists the names otherwise.</summary>
    public IClusterPolicy Find(string name) =>
        _policies.GetValueOrDefault(name ?? "")
        ?? throw new RefusalException(StatusCodes.Status404NotFound, "Policy not found", $"There is no policy '{name}'; the policies are {string.Join(", ", _policies.Keys)}.");

    private async Task<bool> IsPausedAsync(string name)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Policies.AsNoTracking().AnyAsync(p => p.Name == name && p.Paused);
    }

    private async Task<PolicyDto> RecordAsync(string name, Action<PolicyState> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var state = await db.Policies.FirstOrDefaultAsync(p => p.Name == name);
        if (state is null)
        {
            state = new PolicyState { Name = name };
            db.Policies.Add(state);
        }
        change(state);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (db.Entry(state).State == EntityState.Added)
        {
            // Created concurrently by another run: apply the change to that row instead.
            await using var retry = await dbFactory.CreateDbContextAsync();
            state = await retry.Policies.FirstAsync(p => p.Name == name);
            change(state);
            await retry.SaveChangesAsync();
        }
        var dto = Dto(name, options.Policies.Find(name)!, state);
        events.Publish(new ClusterChange(ClusterChangeKind.PolicyUpserted, Policy: dto));
        return dto;
    }

    private PolicyDto Dto(string name, PolicyOptions policy, PolicyState? state) =>
        new(name, _policies[name].Description, policy.Enabled, state?.Paused ?? false, policy.Schedule, state?.LastRunAt, state?.LastResult, Settings(name, policy));

    private Dictionary<string, string> Settings(string name, PolicyOptions policy)
    {
        var settings = new Dictionary<string, string> { ["Schedule"] = policy.Schedule };
        switch (policy)
        {
            case NodeDownPolicyOptions nodeDown:
                settings["CheckpointIntervalSeconds"] = nodeDown.CheckpointIntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        // The policy's tunables that live with the scheduler (Orchestration:Scheduler:Rebalance, :Energy).
        var section = name switch { "Rebalance" => "Rebalance", "EnergyLow" => "Energy", _ => null };
        if (section is not null && typeof(SchedulerOptions).GetProperty(section)?.GetValue(schedulerOptions) is { } tunables)
        {
            foreach (var property in tunables.GetType().GetProperties())
            {
                settings[$"Scheduler:{section}:{property.Name}"] = Convert.ToString(property.GetValue(tunables), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
        }
        return settings;
    }
}
