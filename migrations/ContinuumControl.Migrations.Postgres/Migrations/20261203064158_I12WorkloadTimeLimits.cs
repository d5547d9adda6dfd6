using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class I12WorkloadTimeLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "CpuTimeLimitSeconds",
                table: "Workloads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "WallClockLimitSeconds",
                table: "Workloads",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CpuTimeLimitSeconds",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "WallClockLimitSeconds",
                table: "Workloads");
        }
    }
}
