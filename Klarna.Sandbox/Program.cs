using System;
using Klarna.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

//dotnet run --project Klarna.Sandbox -- --urls http://127.0.0.1:5099 [--username U] [--password P]
var builder = WebApplication.CreateBuilder(args);
var defaults = new SandboxOptions();
var options = new SandboxOptions
{
    Username = builder.Configuration["username"] ?? defaults.Username,
    Password = builder.Configuration["password"] ?? defaults.Password,
    AuthorizationPeriodDays = int.TryParse(builder.Configuration["authorization-period-days"], out var days) ? days : defaults.AuthorizationPeriodDays
};

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    builder.WebHost.UseUrls("http://127.0.0.1:5099");

var state = new SandboxState(options);
SandboxApp.ConfigureServices(builder.Services, state);

var app = builder.Build();
SandboxApp.Configure(app, state);
app.Logger.LogSandboxStart(options.Username);
app.Run();

/// <summary>
/// Represents the sandbox entry point
/// </summary>
public partial class Program
{
}
