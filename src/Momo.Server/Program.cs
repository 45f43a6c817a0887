using Momo.Server.Hosting;
using Momo.Server.Pull;

if (PullCommand.IsRequested(args))
{
    return await PullCommand.RunAsync(args, Console.Out);
}
var builder = WebApplication.CreateBuilder(args);
builder.AddMomo();
var app = builder.Build();
app.MapMomo();
return app.RunMomo();
