using ContinuumControl.Domain.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContinuumControl.Persistence.Configurations;

internal sealed class NodeCredentialConfiguration : IEntityTypeConfiguration<NodeCredential>
{
    public void Configure(EntityTypeBuilder<NodeCredential> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.SecretHash).HasMaxLength(64);
        builder.HasIndex(c => c.SecretHash).IsUnique();
        // One credential per node: a second registration under a name that has one is refused, and a race of two is
        // settled here.
        builder.HasIndex(c => c.NodeId).IsUnique();
        builder.HasOne<Node>().WithMany().HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.Cascade);
    }
}
