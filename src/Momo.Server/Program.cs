using Momo.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMomo();
var app = builder.Build();
app.MapMomo();
app.Run();

/// <summary>Entry point; public so tests can find the assembly.</summary>
public partial class Program;
