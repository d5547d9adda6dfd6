using ContinuumControl.Domain.Workloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class OutputChunkConfiguration : IEntityTypeConfiguration<OutputChunk>
{
    public void Configure(EntityTypeBuilder<OutputChunk> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Stream).HasConversion<string>().HasMaxLength(10);
        // One chunk per (workload, stream, offset): a replayed append cannot store the same bytes twice.
        builder.HasIndex(c => new { c.WorkloadId, c.Stream, c.Offset }).IsUnique();
    }
}
