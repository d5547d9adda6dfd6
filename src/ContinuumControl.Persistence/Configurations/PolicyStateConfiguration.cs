using ContinuumControl.Domain.Orchestration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class PolicyStateConfiguration : IEntityTypeConfiguration<PolicyState>
{
    public void Configure(EntityTypeBuilder<PolicyState> builder)
    {
        builder.HasKey(p => p.Name);
        builder.Property(p => p.Name).HasMaxLength(40);
        builder.Property(p => p.LastResult).HasMaxLength(2000);
    }
}
