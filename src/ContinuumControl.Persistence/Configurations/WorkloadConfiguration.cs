using ContinuumControl.Domain.Workloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class WorkloadConfiguration : IEntityTypeConfiguration<Workload>
{
    public void Configure(EntityTypeBuilder<Workload> builder)
    {
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.Property(w => w.ModuleHash).HasMaxLength(64);
        builder.Property(w => w.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.RequiredClass).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.FailureReason).HasMaxLength(2000);
        builder.Ignore(w => w.Constraints);
        builder.Ignore(w => w.IsFinished);
        builder.Ignore(w => w.IsActive);
        builder.Property(w => w.Priority).HasConversion<string>().HasMaxLength(10);
        builder.Property(w => w.RestartPolicy).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.Attempts).HasConversion(new JsonAttemptsConverter(), new JsonAttemptsComparer());
        builder.HasIndex(w => w.NodeId);
        // Generation fences stale agents; as a concurrency token it also stops two writers placing one workload twice.
        builder.Property(w => w.Generation).IsConcurrencyToken();
    }
}
