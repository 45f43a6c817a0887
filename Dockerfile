# GPU image: the CUDA 12 build of llama.cpp through LLamaSharp.Backend.Cuda12 (the default build uses the CPU backend).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Momo.Server -c Release -r linux-x64 --self-contained -p:LlamaBackend=Cuda12 -o /app

FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends libicu70 ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    MOMO_CONFIG=/config/models.json \
    Momo__JsonLogs=true
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["./Momo.Server"]
