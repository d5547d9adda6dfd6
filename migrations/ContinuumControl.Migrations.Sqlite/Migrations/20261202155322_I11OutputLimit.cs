using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class I11OutputLimit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "OutputLimitBytes",
                table: "Workloads",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OutputLimitBytes",
                table: "Workloads");
        }
    }
}
