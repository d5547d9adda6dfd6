using ContinuumControl.Agent.Energy;

namespace ContinuumControl.Agent.Tests;

public class AgentOptionsTests
{
    private static AgentOptions Valid() => new() { JoinToken = "ccj_test" };

    [Fact]
    public void Validate_Defaults_HasNoProblems() => Assert.Empty(Valid().Validate());

    [Fact]
    public void Validate_Volumes_RefusesBadNamesAndMissingDirectories_AndResolvesGoodOnes()
    {
        var options = Valid();
        var existing = Path.GetTempPath();
        options.Volumes = new() { ["data"] = existing, ["Bad Name"] = existing, ["gone"] = Path.Combine(existing, Guid.NewGuid().ToString("N")) };

        var problems = options.Validate();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Agent:Volumes:Bad Name is not a volume name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Agent:Volumes:gone is '", StringComparison.Ordinal) && p.Contains("not an existing directory", StringComparison.Ordinal));
        Assert.Equal(Path.GetFullPath(existing), options.VolumeDirectories["data"]);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(2.5, true)]
    [InlineData(0.05, false)]
    [InlineData(-1, false)]
    [InlineData(double.NaN, false)]
    public void Validate_EngineBackstopSeconds_IsOffOrABoundedGrace(double seconds, bool valid)
    {
        var options = Valid();
        options.EngineBackstopSeconds = seconds;

        var problems = options.Validate();

        Assert.Equal(valid, problems.Count == 0);
        Assert.All(problems, p => Assert.StartsWith("Agent:EngineBackstopSeconds is ", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadEnergySettings_NamesEveryKey()
    {
        var options = Valid();
        options.Energy = new EnergySupplyOptions
        {
            Enabled = true,
            CapacityJoules = 0,
            InitialLevel = 1.5,
            HarvestWatts = -1,
            IdleWatts = double.NaN,
            WattsPerRunningWorkload = -2,
            SuspendLevel = 1,
            ResumeMargin = 0,
        };

        var problems = options.Validate();

        foreach (var key in new[] { "CapacityJoules", "InitialLevel", "HarvestWatts", "IdleWatts", "WattsPerRunningWorkload", "SuspendLevel", "ResumeMargin" })
        {
            Assert.Contains(problems, p => p.StartsWith($"Agent:Energy:{key} ", StringComparison.Ordinal));
        }
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public void Validate_ResumeAboveFull_SaysTheNodeWouldNeverResume()
    {
        var options = Valid();
        options.Energy.SuspendLevel = 0.9;
        options.Energy.ResumeMargin = 0.2;

        var problem = Assert.Single(options.Validate());

        Assert.Contains("Agent:Energy:ResumeMargin", problem);
        Assert.Contains("never resume", problem);
    }

    [Fact]
    public void Validate_NegativeSlotsAndOffloadDelay_NameTheirKeys()
    {
        var options = Valid();
        options.Slots = -1;
        options.Scheduler.OffloadAfterMs = -5;

        var problems = options.Validate();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Agent:Slots ", problems[0]);
        Assert.StartsWith("Agent:Scheduler:OffloadAfterMs ", problems[1]);
    }

    [Fact]
    public void OfferedSlots_Unset_FollowsCores()
    {
        Assert.Equal(3, new AgentOptions { Cores = 3 }.OfferedSlots);
        Assert.Equal(5, new AgentOptions { Cores = 3, Slots = 5 }.OfferedSlots);
        Assert.Equal(Environment.ProcessorCount, new AgentOptions().OfferedSlots);
    }
}
