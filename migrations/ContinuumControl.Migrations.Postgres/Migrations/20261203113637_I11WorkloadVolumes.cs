using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class I11WorkloadVolumes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Volumes",
                table: "Workloads",
                type: "text",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Volumes",
                table: "Workloads");
        }
    }
}
