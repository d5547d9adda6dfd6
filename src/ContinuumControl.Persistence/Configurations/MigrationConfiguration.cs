using ContinuumControl.Domain.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class MigrationConfiguration : IEntityTypeConfiguration<Migration>
{
    public void Configure(EntityTypeBuilder<Migration> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Phase).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Trigger).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Reason).HasMaxLength(2000);
        builder.Ignore(m => m.IsFinished);
        builder.Ignore(m => m.TargetGeneration);
        builder.HasIndex(m => m.WorkloadId);
        builder.HasIndex(m => m.RequestedAt);
    }
}
