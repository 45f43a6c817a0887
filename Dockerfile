# One Dockerfile, two images. LLAMA_BACKEND picks LLamaSharp's native llama.cpp build and RUNTIME_IMAGE the base
# that can run it:
#   GPU (default):  docker build .                       → LLamaSharp.Backend.Cuda12 on nvidia/cuda
#   CPU:            docker build --build-arg LLAMA_BACKEND=Cpu \
#                     --build-arg RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0 .
# (docker compose's `gpu` and `cpu` profiles pass these.)
ARG LLAMA_BACKEND=Cuda12
ARG RUNTIME_IMAGE=nvidia/cuda:12.4.1-runtime-ubuntu22.04

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG LLAMA_BACKEND
WORKDIR /src
COPY . .
RUN dotnet publish src/Momo.Server -c Release -r linux-x64 --self-contained -p:LlamaBackend=${LLAMA_BACKEND} -o /app

FROM ${RUNTIME_IMAGE}
# libgomp1: llama.cpp's CPU kernels use OpenMP (both builds). No ICU: the server runs with invariant globalization.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    MOMO_CONFIG=/config/models.json \
    Momo__JsonLogs=true
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["./Momo.Server"]
