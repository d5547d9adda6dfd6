using ContinuumControl.Domain.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.HasKey(n => n.Id);
        builder.HasIndex(n => n.Name).IsUnique();
        builder.Property(n => n.Name).HasMaxLength(200);
        builder.Property(n => n.Architecture).HasMaxLength(50);
        builder.Property(n => n.AgentVersion).HasMaxLength(50);
        builder.Property(n => n.Class).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.State).HasConversion<string>().HasMaxLength(20);
        builder.Ignore(n => n.HarvestsEnergy);
        builder.Ignore(n => n.EffectiveSlots);
    }
}
